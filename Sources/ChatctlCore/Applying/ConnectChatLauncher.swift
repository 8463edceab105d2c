import Foundation
public import ChatctlAWS

/// ``ChatLauncher`` over `ConnectClient`: one client per region, created on first use,
/// and the client's errors translated into what apply records.
public final class ConnectChatLauncher: ChatLauncher, @unchecked Sendable {
    // @unchecked: `clients` is only touched under `lock`; the clients are Sendable.
    private let lock = NSLock()
    private var clients: [String: ConnectClient] = [:]
    private let defaultRegion: String?
    private let makeClient: @Sendable (String, any ConnectAttemptObserver) throws(LaunchFailure) -> ConnectClient
    private let observer: (any ConnectAttemptObserver)?

    /// - Parameters:
    ///   - defaultRegion: for profiles that declare none (`--region`, the environment, the config file).
    ///   - observer: also told about every attempt (`--verbose` logging), besides the counting.
    ///   - makeClient: builds the client of a region, with the observer to pass it; it
    ///     throws when the region has no usable endpoint.
    public init(
        defaultRegion: String?, observer: (any ConnectAttemptObserver)? = nil,
        makeClient: @escaping @Sendable (String, any ConnectAttemptObserver) throws(LaunchFailure) -> ConnectClient
    ) {
        self.defaultRegion = defaultRegion
        self.observer = observer
        self.makeClient = makeClient
    }

    private func client(for region: String?) throws(LaunchFailure) -> ConnectClient {
        guard let region = region ?? defaultRegion else {
            throw LaunchFailure(
                kind: .refused, code: "region", message: "no region for this profile",
                hint: "set spec.region, the project's spec.region, --region or AWS_REGION", attempts: 0)
        }
        lock.lock()
        defer { lock.unlock() }
        if let client = clients[region] { return client }
        let client = try makeClient(region, AttemptCountingObserver(forwardingTo: observer))
        clients[region] = client
        return client
    }

    public func startChat(_ request: StartChatContactRequest, region: String?) async throws(LaunchFailure)
        -> (response: StartChatContactResponse, attempts: Int)
    {
        let client = try client(for: region)
        let counter = AttemptCounter()
        do {
            let response = try await AttemptCounter.$current.withValue(counter) {
                try await client.startChatContact(request)
            }
            return (response, counter.value)
        } catch let error as ConnectClientError {
            throw Self.failure(error)
        } catch {
            throw Self.cancelled(error, attempts: counter.value)
        }
    }

    public func stopChat(_ request: StopContactRequest, region: String?) async throws(LaunchFailure) -> Int {
        let client = try client(for: region)
        let counter = AttemptCounter()
        do {
            _ = try await AttemptCounter.$current.withValue(counter) { try await client.stopContact(request) }
            return counter.value
        } catch let error as ConnectClientError {
            throw Self.failure(error)
        } catch {
            throw Self.cancelled(error, attempts: counter.value)
        }
    }

    /// What an error means for the lockfile: was anything created?
    static func failure(_ error: ConnectClientError) -> LaunchFailure {
        let attempts = error.attempts
        switch error.reason {
        case .service(let service):
            let code = service.code ?? "HTTP \(service.httpStatus)"
            let kind: LaunchFailure.Kind
            if attempts > 1, service.isThrottling || service.isCapacity {
                // An earlier attempt may have timed out after creating the chat; a throttle
                // on the retry says nothing about it.
                kind = .ambiguous
            } else if service.isCapacity {
                kind = .capacity
            } else if code == "ContactNotFoundException" {
                kind = .notFound
            } else if service.httpStatus >= 500 {
                // A server error may come after the contact was created.
                kind = .ambiguous
            } else {
                kind = .refused
            }
            return LaunchFailure(
                kind: kind, code: code, message: service.message ?? error.message, requestId: service.requestId,
                hint: service.hint, attempts: attempts)
        case .transport(let transport):
            // Failures before the request could leave are definite; the rest are not.
            let definite: Bool = switch transport.kind {
            case .dns, .connect, .tls, .proxy, .invalidRequest: true
            case .timeout, .reset, .other: false
            }
            // Definite only for the first attempt: an earlier one may have reached Connect.
            return LaunchFailure(
                kind: definite && attempts <= 1 ? .refused : .ambiguous, code: "transport.\(transport.kind)",
                message: transport.message,
                hint: error.hint, attempts: attempts)
        case .credentials(let credentials):
            return LaunchFailure(kind: .refused, code: "credentials", message: "\(credentials)", hint: error.hint, attempts: attempts)
        case .malformedResponse:
            return LaunchFailure(kind: .ambiguous, code: "malformed-response", message: error.message, attempts: attempts)
        case .idempotencyToken:
            return LaunchFailure(kind: .refused, code: "client-token", message: error.message, attempts: attempts)
        case .cancelled:
            return LaunchFailure(kind: attempts == 0 ? .notSent : .ambiguous, code: "cancelled", message: error.message, attempts: attempts)
        }
    }

    /// A cancellation is an unknown outcome once a request may have left, and "not sent"
    /// before the first attempt.
    static func cancelled(_ error: any Error, attempts: Int) -> LaunchFailure {
        LaunchFailure(kind: attempts == 0 ? .notSent : .ambiguous, code: "cancelled", message: "\(error)", attempts: attempts)
    }
}

/// Counts the attempts of one call. The client tells its observer about each attempt
/// in the calling task, so a task-local counter attributes them without parsing requests.
final class AttemptCounter: @unchecked Sendable {
    // @unchecked: `count` is only touched under `lock`.
    @TaskLocal static var current: AttemptCounter?
    private let lock = NSLock()
    private var count = 0

    var value: Int {
        lock.lock()
        defer { lock.unlock() }
        return count
    }

    func increment() {
        lock.lock()
        defer { lock.unlock() }
        count += 1
    }
}

/// Counts attempts into the task's ``AttemptCounter`` and forwards every report.
struct AttemptCountingObserver: ConnectAttemptObserver {
    let forwardingTo: (any ConnectAttemptObserver)?

    func attemptWillSend(operation: String, attempt: Int, request: HTTPRequest) {
        AttemptCounter.current?.increment()
        forwardingTo?.attemptWillSend(operation: operation, attempt: attempt, request: request)
    }

    func attemptDidFinish(_ report: ConnectAttemptReport) {
        forwardingTo?.attemptDidFinish(report)
    }
}
