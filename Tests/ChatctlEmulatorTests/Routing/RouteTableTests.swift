import ChatctlAWS
import Foundation
import Testing

@testable import ChatctlEmulator

@Suite struct RouteTableTests {
    static func route(_ service: EmulatorService, _ method: String, _ path: String, _ name: String) -> Route {
        Route(service, method, path, authentication: .none, operation: name) { _ in .dropConnection }
    }

    static let table = RouteTable([
        route(.connect, "PUT", "/contact/chat", "StartChatContact"),
        route(.connect, "POST", "/contact/stop", "StopContact"),
        route(.connect, "GET", "/contacts/{InstanceId}/{ContactId}", "DescribeContact"),
        route(.admin, "GET", "/_emulator/stats", "admin"),
    ])

    @Test func resolvesLiteralPathsAndMethods() {
        guard case .route(let route, let labels) = Self.table.resolve(method: "put", path: "/contact/chat") else {
            Issue.record("no route")
            return
        }
        #expect(route.operation == "StartChatContact")
        #expect(labels.isEmpty)
    }

    @Test func resolvesLabelsPercentDecoded() {
        guard case .route(let route, let labels) = Self.table.resolve(method: "GET", path: "/contacts/i%2D1/c-2") else {
            Issue.record("no route")
            return
        }
        #expect(route.operation == "DescribeContact")
        #expect(labels == ["InstanceId": "i-1", "ContactId": "c-2"])
        guard case .notFound(.connect) = Self.table.resolve(method: "GET", path: "/contacts/i-1/") else {
            Issue.record("an empty label matched")
            return
        }
    }

    @Test func tellsAnotherMethodFromAnUnknownPath() {
        guard case .methodNotAllowed(.connect, let allowed) = Self.table.resolve(method: "GET", path: "/contact/chat") else {
            Issue.record("not a method mismatch")
            return
        }
        #expect(allowed == ["PUT"])
        guard case .notFound(.connect) = Self.table.resolve(method: "PUT", path: "/contact/chats") else {
            Issue.record("found a route for an unknown path")
            return
        }
    }

    @Test func eachPathBelongsToOneService() {
        #expect(EmulatorService.owning("/_emulator/anything") == .admin)
        #expect(EmulatorService.owning("/participant/connection") == .participant)
        #expect(EmulatorService.owning("/participantx") == .connect)
        #expect(EmulatorService.owning("/contact/chat") == .connect)
        guard case .notFound(.participant) = Self.table.resolve(method: "POST", path: "/participant/message") else {
            Issue.record("a participant path resolved elsewhere")
            return
        }
    }
}

/// The request path of the core: the route is found before the request is authenticated,
/// as the route says.
@Suite struct EmulatorCoreRoutingTests {
    static let origin = Date(timeIntervalSince1970: 1_767_225_600)

    static func core(extraRoutes: [Route] = []) -> EmulatorCore {
        EmulatorCore(
            configuration: EmulatorConfiguration(tps: 0, seed: 1), seed: 1, clock: ManualEmulatorClock(origin),
            extraRoutes: extraRoutes)
    }

    static func request(_ method: String, _ path: String, headers: HTTPHeaders = [:]) -> HTTPRequest {
        HTTPRequest(method: method, scheme: "http", authority: "127.0.0.1", path: path, headers: headers)
    }

    static func answer(_ reply: EmulatorReply) -> HTTPResponse? {
        if case .answer(let response) = reply { response } else { nil }
    }

    @Test func anUnsignedRequestForAnUnknownPathGetsTheServicesNotFound() async throws {
        let core = Self.core()
        let connect = try #require(Self.answer(await core.handle(Self.request("GET", "/nothing/here"))))
        #expect(connect.status == 404)
        #expect(connect.headers["x-amzn-errortype"] == "UnknownOperationException")
        let participant = try #require(Self.answer(await core.handle(Self.request("POST", "/participant/nothing"))))
        #expect(participant.status == 404)
        #expect(participant.bodyText.contains("POST /participant/connection"))
        #expect(core.statistics.current.count("Unknown", "UnknownOperationException") == 2)
    }

    @Test func anUnsignedRequestForAConnectRouteIsRefusedForItsSignature() async throws {
        let response = try #require(Self.answer(await Self.core().handle(Self.request("PUT", "/contact/chat"))))
        #expect(response.status == 403)
        #expect(response.headers["x-amzn-errortype"] == "MissingAuthenticationTokenException")
    }

    @Test func aBearerRouteIsReachedWithoutASignatureAndIgnoresAuthorization() async throws {
        let seen = Locked<[String?]>([])
        let bearer = Route(.participant, "POST", "/participant/test-only", authentication: .bearer, operation: "CreateParticipantConnection") {
            routed in
            seen.withLock { $0.append(routed.bearerToken) }
            return .answer(HTTPResponse(status: 200, body: Array("{}".utf8)))
        }
        let core = Self.core(extraRoutes: [bearer])
        let headers: HTTPHeaders = ["X-Amz-Bearer": "participant-token", "Authorization": "AWS4-HMAC-SHA256 garbage"]
        let accepted = try #require(Self.answer(await core.handle(Self.request("POST", "/participant/test-only", headers: headers))))
        #expect(accepted.status == 200)
        #expect(seen.withLock { $0 } == ["participant-token"])
        let refused = try #require(Self.answer(await core.handle(Self.request("POST", "/participant/test-only"))))
        #expect(refused.status == 403)
        #expect(refused.headers["x-amzn-errortype"] == "AccessDeniedException")
        #expect(seen.withLock { $0 }.count == 1)
    }
}
