import ChatctlAWS
import ChatctlJSON
import Foundation
import Testing

@testable import ChatctlEmulator

/// Builds request bodies and runs them through a behaviour and its store at chosen times.
final class BehaviourDriver {
    static let origin = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
    var behaviour: ConnectBehaviour
    var store: ContactStore
    var now = BehaviourDriver.origin

    /// - Parameter keepUnconnectedChats: turns the 5-minute connect window off, so tests of
    ///   durations and quotas are not ended early by a customer who never connects.
    init(
        _ configuration: EmulatorConfiguration = EmulatorConfiguration(tps: 0, stopTPS: 0), seed: UInt64 = 1,
        keepUnconnectedChats: Bool = true
    ) {
        var configuration = configuration
        if keepUnconnectedChats {
            configuration.customerConnectWindow = nil
        }
        behaviour = ConnectBehaviour(configuration: configuration, seed: seed)
        store = behaviour.makeStore()
    }

    /// Forgets every contact and ClientToken, refills the buckets and restarts the ids.
    func reset() {
        behaviour.reset()
        store = behaviour.makeStore()
    }

    static func startBody(instance: String = "i-1", token: String? = nil, extra: String = "") -> [UInt8] {
        var text = #"{"InstanceId":"\#(instance)","ContactFlowId":"f-1","ParticipantDetails":{"DisplayName":"Ann"}"#
        if let token {
            text += #","ClientToken":"\#(token)""#
        }
        if !extra.isEmpty {
            text += "," + extra
        }
        return Array((text + "}").utf8)
    }

    func start(
        instance: String = "i-1", token: String? = nil, extra: String = ""
    ) -> Result<JSONValue, ConnectError> {
        behaviour.perform(.startChatContact, body: Self.startBody(instance: instance, token: token, extra: extra), store: &store, now: now)
    }

    func startedContactID(token: String? = nil, extra: String = "") throws -> String {
        let answer = try start(token: token, extra: extra).get()
        return try #require(answer["ContactId"]?.stringValue)
    }

    func stop(_ contactID: String, instance: String = "i-1") -> Result<JSONValue, ConnectError> {
        behaviour.perform(
            .stopContact, body: Array(#"{"ContactId":"\#(contactID)","InstanceId":"\#(instance)"}"#.utf8), store: &store, now: now)
    }

    func advance(minutes: Double) {
        now = now.addingTimeInterval(minutes * 60)
    }
}

extension Result where Failure == ConnectError {
    var errorCode: String? {
        if case .failure(let error) = self { error.code } else { nil }
    }
}

@Suite struct ConnectBehaviourTests {
    // MARK: - Success

    @Test func answersIdsAndARealisticToken() throws {
        let driver = BehaviourDriver()
        let answer = try driver.start().get()
        let uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
        #expect(try uuid.wholeMatch(in: #require(answer["ContactId"]?.stringValue)) != nil)
        #expect(try uuid.wholeMatch(in: #require(answer["ParticipantId"]?.stringValue)) != nil)
        let token = try #require(answer["ParticipantToken"]?.stringValue)
        #expect(token.count == 400)
        #expect(token.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") })
        #expect(answer["ContinuedFromContactId"] == nil)
        let contact = try #require(driver.store.allContacts.first)
        #expect(contact.participantTokenSHA256 == SHA256.hexDigest(token))
        #expect(contact.expiresAt == BehaviourDriver.origin.addingTimeInterval(1500 * 60))
        #expect(contact.state(at: driver.now) == .active)
    }

    @Test func theSameSeedGivesTheSameIdsAndTokens() throws {
        let first = BehaviourDriver(seed: 42)
        let second = BehaviourDriver(seed: 42)
        let other = BehaviourDriver(seed: 43)
        let a = try first.start().get()
        #expect(try second.start().get() == a)
        #expect(try other.start().get() != a)
    }

    @Test func resetForgetsEverythingAndRestartsTheSequence() throws {
        let driver = BehaviourDriver()
        let first = try driver.start(token: "t").get()
        driver.reset()
        #expect(driver.store.contactCount == 0)
        #expect(try driver.start(token: "t").get() == first)
        #expect(driver.store.contactCount == 1)
    }

    // MARK: - Idempotency

    @Test func theSameTokenAndBodyAnswersTheSameAndCreatesNothing() throws {
        let driver = BehaviourDriver()
        let first = try driver.start(token: "t-1").get()
        driver.advance(minutes: 10)
        let second = try driver.start(token: "t-1").get()
        #expect(second == first)
        #expect(driver.store.contactCount == 1)
    }

    @Test func theSameTokenWithAnotherBodyIsAMismatch() throws {
        let driver = BehaviourDriver()
        _ = try driver.start(token: "t-1").get()
        let answer = driver.start(token: "t-1", extra: #""ChatDurationInMinutes":60"#)
        #expect(answer == .failure(.idempotentParameterMismatch))
        #expect(
            ConnectError.idempotentParameterMismatch.message
                == "The ClientToken has already been used with different request parameters.")
        #expect(driver.store.contactCount == 1)
    }

    @Test func aReplayStillAnswersAfterTheChatEndedOrTheQuotaFilled() throws {
        let driver = BehaviourDriver(EmulatorConfiguration(tps: 0, maxActive: 1))
        let first = try driver.start(token: "t-1").get()
        #expect(driver.start(token: "t-2").errorCode == "LimitExceededException")
        #expect(try driver.start(token: "t-1").get() == first)
        _ = try driver.stop(try #require(first["ContactId"]?.stringValue)).get()
        #expect(try driver.start(token: "t-1").get() == first)
    }

    @Test func tokensAreForgottenAfterTheWindow() throws {
        let driver = BehaviourDriver(EmulatorConfiguration(tps: 0, idempotencyWindow: 3600))
        let first = try driver.start(token: "t-1").get()
        driver.advance(minutes: 59)
        #expect(try driver.start(token: "t-1").get() == first)
        driver.advance(minutes: 1)
        #expect(try driver.start(token: "t-1").get() != first)
        #expect(driver.store.contactCount == 2)
    }

    @Test func requestsWithoutATokenAlwaysCreate() throws {
        let driver = BehaviourDriver()
        _ = try driver.start().get()
        _ = try driver.start().get()
        #expect(driver.store.contactCount == 2)
    }

    // MARK: - Quotas

    @Test func theTokenBucketAllowsTheBurstThenTheRate() throws {
        let driver = BehaviourDriver(EmulatorConfiguration(tps: 5, burst: 8))
        for _ in 0..<8 {
            _ = try driver.start().get()
        }
        #expect(driver.start() == .failure(.tooManyRequests))
        #expect(ConnectError.tooManyRequests.httpStatus == 429)
        #expect(driver.behaviour.secondsUntilAdmitted(.startChatContact, now: driver.now) == 0.2)
        driver.now = driver.now.addingTimeInterval(0.2)
        _ = try driver.start().get()
        #expect(driver.start().errorCode == "TooManyRequestsException")
        #expect(driver.store.contactCount == 9)
    }

    @Test func stopContactHasItsOwnBucket() throws {
        let driver = BehaviourDriver(EmulatorConfiguration(tps: 1, burst: 1, stopTPS: 1, stopBurst: 2))
        let id = try driver.startedContactID()
        #expect(driver.start().errorCode == "TooManyRequestsException")
        _ = try driver.stop(id).get()
        #expect(driver.stop(id).errorCode == "ContactNotFoundException")
        #expect(driver.stop(id).errorCode == "TooManyRequestsException")
    }

    @Test func activeChatsBeyondTheQuotaAreRefusedPerInstance() throws {
        let driver = BehaviourDriver(EmulatorConfiguration(tps: 0, maxActive: 2))
        let first = try driver.startedContactID()
        _ = try driver.start().get()
        #expect(driver.start() == .failure(.limitExceeded(maxActive: 2)))
        #expect(
            ConnectError.limitExceeded(maxActive: 2).message
                == "The concurrent active chats quota of 2 for this instance has been exceeded.")
        _ = try driver.start(instance: "i-2").get()
        _ = try driver.stop(first).get()
        _ = try driver.start().get()
        #expect(driver.store.activeChatCount(now: driver.now) == 3)
    }

    @Test func chatsEndWhenTheirDurationPasses() throws {
        let driver = BehaviourDriver(EmulatorConfiguration(tps: 0, maxActive: 1))
        let id = try driver.startedContactID(extra: #""ChatDurationInMinutes":60"#)
        driver.advance(minutes: 59)
        #expect(driver.start().errorCode == "LimitExceededException")
        driver.advance(minutes: 1)
        _ = try driver.start().get()
        #expect(driver.store.contact(id)?.state(at: driver.now) == .expired)
        #expect(driver.stop(id) == .failure(.contactNotFound(id)))
    }

    @Test func theDefaultDurationIs25Hours() throws {
        let driver = BehaviourDriver(EmulatorConfiguration(tps: 0, maxActive: 1))
        _ = try driver.start().get()
        driver.advance(minutes: 1499)
        #expect(driver.start().errorCode == "LimitExceededException")
        driver.advance(minutes: 1)
        _ = try driver.start().get()
    }

    // MARK: - StopContact

    @Test func stopEndsAContactOnce() throws {
        let driver = BehaviourDriver()
        let id = try driver.startedContactID()
        driver.advance(minutes: 5)
        #expect(try driver.stop(id).get() == JSONValue.object([:]))
        let contact = try #require(driver.store.contact(id))
        #expect(contact.state(at: driver.now) == .stopped)
        #expect(contact.stoppedAt == driver.now)
        #expect(driver.stop(id) == .failure(.contactNotFound(id)))
        #expect(
            ConnectError.contactNotFound(id).message
                == "The contact with the specified ID is not active or does not exist: '\(id)'.")
        #expect(ConnectError.contactNotFound(id).httpStatus == 410)
    }

    @Test func stopRefusesUnknownContactsAndOtherInstances() throws {
        let driver = BehaviourDriver()
        let id = try driver.startedContactID()
        #expect(driver.stop("nope").errorCode == "ContactNotFoundException")
        #expect(driver.stop(id, instance: "i-2").errorCode == "ContactNotFoundException")
        let reason = driver.behaviour.perform(
            .stopContact, body: Array(#"{"ContactId":"\#(id)","InstanceId":"i-1","DisconnectReason":{"Code":"bye"}}"#.utf8),
            store: &driver.store, now: driver.now)
        #expect(reason == .success(JSONValue.object([:])))
        #expect(driver.store.contact(id)?.disconnectReasonCode == "bye")
    }

    // MARK: - Persistent chat

    static func persistent(_ source: String, _ type: String = "FROM_SEGMENT") -> String {
        #""PersistentChat":{"RehydrationType":"\#(type)","SourceContactId":"\#(source)"}"#
    }

    @Test func aPersistentChatNeedsItsSourceToHaveEnded() throws {
        let driver = BehaviourDriver()
        let source = try driver.startedContactID()
        #expect(
            driver.start(extra: Self.persistent(source))
                == .failure(
                    .invalidRequest(
                        "Contact '\(source)' has not ended; a persistent chat can only continue a chat that has ended.")))
        _ = try driver.stop(source).get()
        let answer = try driver.start(extra: Self.persistent(source)).get()
        #expect(answer["ContinuedFromContactId"] == .string(source))
        let id = try #require(answer["ContactId"]?.stringValue)
        #expect(driver.store.contact(id)?.initialContactID == source)
    }

    @Test func anExpiredSourceCountsAsEnded() throws {
        let driver = BehaviourDriver()
        let source = try driver.startedContactID(extra: #""ChatDurationInMinutes":60"#)
        driver.advance(minutes: 60)
        let answer = try driver.start(extra: Self.persistent(source)).get()
        #expect(answer["ContinuedFromContactId"] == .string(source))
    }

    @Test func entirePastSessionContinuesTheLatestEndedContactOfTheSession() throws {
        let driver = BehaviourDriver()
        let first = try driver.startedContactID()
        _ = try driver.stop(first).get()
        let second = try driver.startedContactID(extra: Self.persistent(first))
        #expect(driver.start(extra: Self.persistent(first, "ENTIRE_PAST_SESSION")).errorCode == "InvalidRequestException")
        driver.advance(minutes: 1)
        _ = try driver.stop(second).get()
        let answer = try driver.start(extra: Self.persistent(first, "ENTIRE_PAST_SESSION")).get()
        #expect(answer["ContinuedFromContactId"] == .string(second))
    }

    @Test func unknownSourceAndRelatedContactsAreNotFound() {
        let driver = BehaviourDriver()
        #expect(
            driver.start(extra: Self.persistent("ghost"))
                == .failure(.resourceNotFound("Source contact 'ghost' was not found in instance 'i-1'.")))
        #expect(
            driver.start(extra: #""RelatedContactId":"ghost""#)
                == .failure(.resourceNotFound("Related contact 'ghost' was not found in instance 'i-1'.")))
    }

    @Test func anImportedEndedContactCanBeContinued() throws {
        let driver = BehaviourDriver()
        let old = EmulatedContact(
            contactID: "historic", instanceID: "i-1", createdAt: driver.now.addingTimeInterval(-7200),
            expiresAt: driver.now.addingTimeInterval(-3600), ended: driver.now.addingTimeInterval(-3600))
        driver.store.importContacts([old], now: driver.now)
        let answer = try driver.start(extra: Self.persistent("historic")).get()
        #expect(answer["ContinuedFromContactId"]?.stringValue == "historic")
        #expect(driver.store.activeChatCount(now: driver.now) == 1)
    }

    @Test func anImportedRunningContactCountsAgainstTheQuotaAndCanBeStopped() throws {
        let driver = BehaviourDriver(EmulatorConfiguration(tps: 0, maxActive: 1))
        let running = EmulatedContact(
            contactID: "running", instanceID: "i-1", createdAt: driver.now, expiresAt: driver.now.addingTimeInterval(3600))
        driver.store.importContacts([running, running], now: driver.now)
        #expect(driver.store.activeChatCount(now: driver.now) == 1)
        #expect(driver.start() == .failure(.limitExceeded(maxActive: 1)))
        _ = try driver.stop("running").get()
        _ = try driver.start().get()
    }

    @Test func aRelatedContactIsRecorded() throws {
        let driver = BehaviourDriver()
        let related = try driver.startedContactID()
        let id = try driver.startedContactID(extra: #""RelatedContactId":"\#(related)""#)
        #expect(driver.store.contact(id)?.relatedContactID == related)
    }

    // MARK: - Errors before state

    @Test func invalidRequestsCreateNothingAndAreNotRemembered() throws {
        let driver = BehaviourDriver()
        #expect(driver.start(token: "t", extra: #""ChatDurationInMinutes":1"#).errorCode == "InvalidParameterException")
        #expect(driver.store.contactCount == 0)
        _ = try driver.start(token: "t").get()
        #expect(driver.store.contactCount == 1)
    }
}
