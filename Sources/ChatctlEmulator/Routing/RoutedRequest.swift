import ChatctlAWS

/// A request that matched a route, as its handler sees it.
struct RoutedRequest: Sendable {
    /// The request as read off the wire.
    var request: HTTPRequest
    /// The values of the route's `{Label}` segments.
    var labels: [String: String]
    /// The `X-Amz-Bearer` token of a ``RouteAuthentication/bearer`` route (present, maybe wrong).
    var bearerToken: String?
}
