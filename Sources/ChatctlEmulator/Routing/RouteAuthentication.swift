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
