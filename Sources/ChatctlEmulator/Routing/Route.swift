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
