public import ChatctlAWS

/// What `chatctl refresh` needs of Amazon Connect: DescribeContact. ``ConnectChatLauncher``
/// implements it over `ConnectClient` (the same pipeline, retries and pacing as apply).
public protocol ContactObserver: Sendable {
    /// Describes a contact in `region` (the observer's default when `nil`).
    /// - Throws: ``LaunchFailure``, of kind `notFound` when Amazon Connect does not know it.
    func describeContact(_ request: DescribeContactRequest, region: String?) async throws(LaunchFailure)
        -> DescribeContactResponse
}

extension ConnectChatLauncher: ContactObserver {
    public func describeContact(_ request: DescribeContactRequest, region: String?) async throws(LaunchFailure)
        -> DescribeContactResponse
    {
        let client = try client(for: region)
        do {
            return try await client.describeContact(request)
        } catch {
            var failure = Self.failure(error)
            // DescribeContact's 404: the contact is gone (past its retention, or never there).
            if case .service(let service) = error.reason, service.httpStatus == 404 { failure.kind = .notFound }
            throw failure
        }
    }
}

extension RegionPinnedLauncher: ContactObserver {
    public func describeContact(_ request: DescribeContactRequest, region _: String?) async throws(LaunchFailure)
        -> DescribeContactResponse
    {
        guard let observer = base as? any ContactObserver else {
            throw LaunchFailure(kind: .refused, code: "describe", message: "this launcher cannot describe contacts", attempts: 0)
        }
        return try await observer.describeContact(request, region: region)
    }
}
