import ChatctlJSON
/// The input of `StopContact` (`POST /contact/stop`), with every member of the API model.
public struct StopContactRequest: AWSOperation, Equatable, CustomStringConvertible {
    public typealias Response = StopContactResponse

    /// `StopContact`.
    public static var operationName: String { "StopContact" }

    /// `DisconnectReason`.
    public struct DisconnectReason: Sendable, Equatable {
        /// `Code`: a reason code the caller chooses.
        public var code: String?

        /// Creates a reason.
        public init(code: String? = nil) {
            self.code = code
        }
    }

    /// `ContactId`: 1 to 256 characters; required.
    public var contactId: String
    /// `InstanceId`: 1 to 100 characters; required.
    public var instanceId: String
    /// `DisconnectReason`.
    public var disconnectReason: DisconnectReason?

    /// Creates a request.
    public init(contactId: String, instanceId: String, disconnectReason: DisconnectReason? = nil) {
        self.contactId = contactId
        self.instanceId = instanceId
        self.disconnectReason = disconnectReason
    }

    /// The exact JSON body: compact, keys sorted, absent members left out.
    public func jsonBody() -> [UInt8] {
        var object = JSONObjectBuilder()
        object.set("ContactId", contactId)
        object.set("InstanceId", instanceId)
        if let disconnectReason {
            var reason = JSONObjectBuilder()
            reason.set("Code", disconnectReason.code)
            object.set("DisconnectReason", reason.node)
        }
        return object.bytes
    }

    /// The JSON body as text (no member is sensitive).
    public var description: String {
        String(decoding: jsonBody(), as: UTF8.self)
    }

    /// `POST /contact/stop` with `Content-Type: application/json` and ``jsonBody()``.
    public func httpRequest(endpoint: ServiceEndpoint) -> HTTPRequest {
        endpoint.request(
            method: "POST", path: "/contact/stop", headers: ["Content-Type": "application/json"], body: jsonBody())
    }

    /// Decodes the (empty) `StopContactResponse` body; an empty body counts as `{}`.
    public static func decodeResponse(_ response: HTTPResponse) throws(AWSProtocolError) -> StopContactResponse {
        try decodeJSON(StopContactResponse.self, from: response)
    }
}
