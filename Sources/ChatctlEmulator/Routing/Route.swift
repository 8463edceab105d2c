import ChatctlAWS

/// The services the emulator serves on its one port, told apart by path (their paths do
/// not overlap), each with its own answer to a path it does not serve.
enum EmulatorService: String, Sendable, Equatable {
    /// Amazon Connect: `/contact/…` and every path no other service claims.
    case connect
    /// The Amazon Connect Participant Service: `/participant/…` (issue 16 adds its routes).
    case participant
    /// The emulator's own admin API: `/_emulator/…`, unsigned.
    case admin

    /// The service a path belongs to.
    static func owning(_ path: String) -> EmulatorService {
        if path == "/_emulator" || path.hasPrefix("/_emulator/") {
            return .admin
        }
        if path == "/participant" || path.hasPrefix("/participant/") {
            return .participant
        }
        return .connect
    }
}

/// How a route's requests prove who sends them, checked only once the route is known.
enum RouteAuthentication: Sendable, Equatable {
    /// AWS Signature Version 4 with the emulator's credentials, scoped to `signingName` in
    /// the configured region (Connect: `connect`).
    case sigV4(signingName: String)
    /// A token in the `X-Amz-Bearer` header (the Participant Service); any
    /// `Authorization` header is ignored. The route's handler decides whether the token is
    /// good, since only the store knows.
    case bearer
    /// None (the admin API).
    case none
}

/// A request that matched a route, as its handler sees it.
struct RoutedRequest: Sendable {
    /// The request as read off the wire.
    var request: HTTPRequest
    /// The values of the route's `{Label}` segments.
    var labels: [String: String]
    /// The `X-Amz-Bearer` token of a ``RouteAuthentication/bearer`` route (present, maybe wrong).
    var bearerToken: String?
}

/// One entry of the route table: which service, method and path, how requests are
/// authenticated, the operation name statistics count them under, and what handles them.
struct Route: Sendable {
    let service: EmulatorService
    let method: String
    let path: RoutePattern
    let authentication: RouteAuthentication
    /// `StartChatContact`, `CreateParticipantConnection`, `admin`…
    let operation: String
    let handler: @Sendable (RoutedRequest) async -> EmulatorReply

    init(
        _ service: EmulatorService, _ method: String, _ path: String, authentication: RouteAuthentication,
        operation: String, handler: @escaping @Sendable (RoutedRequest) async -> EmulatorReply
    ) {
        self.service = service
        self.method = method
        self.path = RoutePattern(path)
        self.authentication = authentication
        self.operation = operation
        self.handler = handler
    }
}
