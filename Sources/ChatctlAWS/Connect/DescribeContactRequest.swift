/// The input of `DescribeContact` (`GET /contacts/{InstanceId}/{ContactId}`), used to
/// detect drift between the lockfile and the service.
public struct DescribeContactRequest: AWSOperation, Equatable, CustomStringConvertible {
    public typealias Response = DescribeContactResponse

    /// `DescribeContact`.
    public static var operationName: String { "DescribeContact" }

    /// `InstanceId`: the instance id (1 to 100 characters); required.
    public var instanceId: String
    /// `ContactId`: 1 to 256 characters; required.
    public var contactId: String

    /// Creates a request.
    public init(instanceId: String, contactId: String) {
        self.instanceId = instanceId
        self.contactId = contactId
    }

    /// `DescribeContact(instanceId: …, contactId: …)`.
    public var description: String {
        "DescribeContact(instanceId: \(instanceId), contactId: \(contactId))"
    }

    /// The path with both labels percent-encoded (every byte outside the RFC 3986
    /// unreserved set, `/` included), as restJson1 encodes `@httpLabel` members.
    public var path: String {
        "/contacts/\(URIEncoding.encode(instanceId))/\(URIEncoding.encode(contactId))"
    }

    /// `GET /contacts/{InstanceId}/{ContactId}` with no body.
    public func httpRequest(endpoint: ServiceEndpoint) -> HTTPRequest {
        endpoint.request(method: "GET", path: path)
    }

    /// Decodes the `DescribeContactResponse` body leniently.
    public static func decodeResponse(_ response: HTTPResponse) throws(AWSProtocolError) -> DescribeContactResponse {
        try decodeJSON(DescribeContactResponse.self, from: response)
    }
}
