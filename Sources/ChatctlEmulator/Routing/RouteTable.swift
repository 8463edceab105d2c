/// Every route the emulator serves, resolved from a request's method and path before
/// anything else is looked at: the route decides how the request is authenticated, so a
/// Participant Service call carrying a bearer token is never asked for a SigV4 signature,
/// and a path nobody serves gets its service's "no such operation" answer rather than a
/// signature error.
///
/// Lookup is by first path segment, then a scan of the few routes sharing it.
struct RouteTable: Sendable {
    /// What a method and path resolve to.
    enum Resolution: Sendable {
        /// A route, with its labels' values.
        case route(Route, labels: [String: String])
        /// A path `service` serves, with another method.
        case methodNotAllowed(EmulatorService, allowed: [String])
        /// A path no route of `service` matches.
        case notFound(EmulatorService)
    }

    private var routesByFirstSegment: [String: [Route]] = [:]

    init(_ routes: [Route] = []) {
        routes.forEach { add($0) }
    }

    /// Adds a route; an earlier route with the same method and path wins.
    mutating func add(_ route: Route) {
        routesByFirstSegment[Self.firstSegment(route.path.description), default: []].append(route)
    }

    /// The route for `method` (case-insensitive) and `path` (without its query).
    func resolve(method: String, path: String) -> Resolution {
        let service = EmulatorService.owning(path)
        var allowed: [String] = []
        let method = method.uppercased()
        for route in routesByFirstSegment[Self.firstSegment(path)] ?? [] {
            guard let labels = route.path.match(path) else { continue }
            if route.method == method {
                return .route(route, labels: labels)
            }
            allowed.append(route.method)
        }
        return allowed.isEmpty ? .notFound(service) : .methodNotAllowed(service, allowed: allowed)
    }

    private static func firstSegment(_ path: String) -> String {
        path.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: true).first.map(String.init) ?? ""
    }
}
