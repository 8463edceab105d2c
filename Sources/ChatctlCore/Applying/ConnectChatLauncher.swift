import Foundation
public import ChatctlAWS

/// ``ChatLauncher`` over `ConnectClient`: one client per region, created on first use,
/// and the client's errors translated into what apply records.
public final class ConnectChatLauncher: ChatLauncher, @unchecked Sendable {
    // @unchecked: `clients` is only touched under `lock`; the clients are Sendable.
    private let lock = NSLock()
    private var clients: [String: ConnectClient] = [:]
    private let defaultRegion: String?
    private let makeClient: @Sendable (String, any AWSAttemptObserver) throws(LaunchFailure) -> ConnectClient
    private let observer: (any AWSAttemptObserver)?

    /// - Parameters:
    ///   - defaultRegion: for profiles that declare none (`--region`, the environment, the config file).
    ///   - observer: also told about every attempt (`--verbose` logging), besides the counting.
    ///   - makeClient: builds the client of a region, with the observer to pass it; it
    ///     throws when the region has no usable endpoint.
    public init(
        defaultRegion: String?, observer: (any AWSAttemptObserver)? = nil,
        makeClient: @escaping @Sendable (String, any AWSAttemptObserver) throws(LaunchFailure) -> ConnectClient
    ) {
        self.defaultRegion = defaultRegion
        self.observer = observer
        self.makeClient = makeClient
    }

    func client(for region: String?) throws(LaunchFailure) -> ConnectClient {
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
        } catch let error as AWSCallError {
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
        } catch let error as AWSCallError {
            throw Self.failure(error)
        } catch {
            throw Self.cancelled(error, attempts: counter.value)
        }
    }

    /// What an error means for the lockfile: was anything created?
    ///
    /// Only an answer that proves the request was refused (a 4xx, a connection that was
    /// never made, no credentials) makes a definite failure; anything else — a 5xx, an
    /// answer that is not HTTP, a broken exchange after the request left, a success answer
    /// that does not match the model, or any of these on an earlier attempt — leaves the
    /// outcome unknown, so the entry stays pending and the same token resumes it.
    ///
    /// The message ends with the HTTP status, the request id (which AWS Support asks for)
    /// and the number of attempts; server messages arrive already redacted.
    static func failure(_ error: AWSCallError) -> LaunchFailure {
        let attempts = error.attempts
        let unknown = error.mayHaveTakenEffect
        let tried = attempts == 1 ? "1 attempt" : "\(attempts) attempts"
        switch error.reason {
        case .service(let service):
            let code = service.code ?? "HTTP \(service.httpStatus)"
            let kind: LaunchFailure.Kind
            if code == "ContactNotFoundException", error.operation == "StopContact" {
                // Whatever an earlier attempt did, the contact has ended now. (Only a stop
                // names a contact; for a launch this code proves nothing about the chat an
                // earlier attempt may have created, so it falls to the rules below.)
                kind = .notFound
            } else if unknown {
                kind = .ambiguous
            } else if service.isCapacity {
                kind = .capacity
            } else {
                kind = .refused
            }
            let details = ["HTTP \(service.httpStatus)", service.requestId.map { "request id \($0)" }, tried]
            return LaunchFailure(
                kind: kind, code: code,
                message: "\(service.message ?? "no message") (\(details.compactMap { $0 }.joined(separator: ", ")))",
                requestId: service.requestId, hint: service.hint, attempts: attempts)
        case .transport(let transport):
            return LaunchFailure(
                kind: unknown ? .ambiguous : .refused, code: "transport.\(transport.kind)",
                message: "\(transport.message) (no HTTP answer, \(tried))", hint: error.hint, attempts: attempts)
        case .credentials(let credentials):
            return LaunchFailure(
                kind: unknown ? .ambiguous : .refused, code: "credentials", message: "\(credentials)", hint: error.hint,
                attempts: attempts)
        case .malformedResponse(let malformed):
            return LaunchFailure(
                kind: .ambiguous, code: "malformed-response",
                message: "the answer (HTTP \(malformed.status), \(tried)) does not match the API model: \(malformed.detail)",
                hint: error.hint, attempts: attempts)
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
struct AttemptCountingObserver: AWSAttemptObserver {
    let forwardingTo: (any AWSAttemptObserver)?

    func attemptWillSend(operation: String, attempt: Int, request: HTTPRequest) {
        AttemptCounter.current?.increment()
        forwardingTo?.attemptWillSend(operation: operation, attempt: attempt, request: request)
    }

    func attemptDidFinish(_ report: AWSAttemptReport) {
        forwardingTo?.attemptDidFinish(report)
    }
}
