import ChatctlAWS
import ChatctlJSON
import Foundation

/// The Amazon Connect routes (StartChatContact, StopContact): SigV4-signed, throttled by
/// the operation's token bucket, subject to injected faults, run by ``ConnectBehaviour`` on
/// the shared store.
struct ConnectRoutes: Sendable {
    let state: EmulatorStateLock
    let checker: ConnectRequestChecker
    let faults: FaultStage
    let answers: RestJSONAnswers
    /// Told of each chat StartChatContact creates (a flow interpreter hooks in there).
    let sessions: ChatSessions

    /// The routes, bound as the model binds the operations.
    var routes: [Route] {
        [
            route(.startChatContact, "PUT", "/contact/chat"),
            route(.stopContact, "POST", "/contact/stop"),
            Route(.connect, "GET", "/contacts/{InstanceId}/{ContactId}", authentication: .sigV4(signingName: "connect"),
                  operation: "DescribeContact") { await describe($0) }
        ]
    }

    /// DescribeContact: its own token bucket, then the fault, then the store.
    private func describe(_ routed: RoutedRequest) async -> EmulatorReply {
        let operation = "DescribeContact"
        guard state.withState({ state, now in state.connect.admitDescribeContact(now: now) }) else {
            return await answers.finish(.failure(.throttling), operation: operation)
        }
        let fault = faults.draw()
        if let fault, !fault.actsFirst {
            return await answers.finish(.failure(.internalService), operation: operation, fault: fault)
        }
        let instanceID = routed.labels["InstanceId"] ?? ""
        let contactID = routed.labels["ContactId"] ?? ""
        let result = state.withState { state, now in
            state.store.endExpiredChats(now: now)
            return state.connect.describeContact(instanceID: instanceID, contactID: contactID, store: state.store, now: now)
        }
        return await answers.finish(result, operation: operation, fault: fault)
    }

    private func route(_ operation: ConnectOperationName, _ method: String, _ path: String) -> Route {
        Route(.connect, method, path, authentication: .sigV4(signingName: "connect"), operation: operation.rawValue) {
            await serve(operation, $0.request)
        }
    }

    /// Throttling, then the fault, then the operation.
    private func serve(_ operation: ConnectOperationName, _ request: HTTPRequest) async -> EmulatorReply {
        let admitted = state.withState { state, now in state.connect.admit(operation, now: now) }
        guard admitted else {
            return await answers.finish(.failure(.tooManyRequests), operation: operation.rawValue)
        }
        let fault = faults.draw()
        if let fault, !fault.actsFirst {
            return await answers.finish(.failure(.internalService), operation: operation.rawValue, fault: fault)
        }
        return await answers.finish(perform(operation, body: request.body), operation: operation.rawValue, fault: fault)
    }

    /// Runs the stateless checks outside the lock, then the operation inside it.
    private func perform(_ operation: ConnectOperationName, body: [UInt8]) -> Result<JSONValue, ConnectError> {
        do throws(ConnectError) {
            switch operation {
            case .startChatContact:
                let input = try checker.checkStartChatContact(body)
                let (result, created) = state.withState { state, now in
                    let countBefore = state.store.contactCount
                    let result = state.connect.startChatContact(input, store: &state.store, now: now)
                    // A replayed ClientToken creates nothing: only a new contact is announced.
                    let created = state.store.contactCount > countBefore ? state.store.newestContact : nil
                    return (result, created)
                }
                if let created {
                    sessions.chatStarted(created)
                }
                return result
            case .stopContact:
                let input = try checker.checkStopContact(body)
                return state.withState { state, now in
                    state.connect.stopContact(input, store: &state.store, now: now)
                }
            }
        } catch {
            return .failure(error)
        }
    }
}
