import ChatctlJSON

/// What `SendMessage` and `SendEvent` share: a content type, optional content, and a
/// `ClientToken` that makes retries idempotent (``ParticipantClient`` generates one when it
/// is missing, before the first attempt).
public protocol ParticipantContentRequest: ParticipantOperation {
    /// `ContentType` (1 to 100 characters).
    var contentType: String { get }
    /// `Content` (1 to 16384 characters).
    var content: String? { get }
    /// `ClientToken` (at most 500 characters).
    var clientToken: String? { get set }
}

extension ParticipantContentRequest {
    /// The exact JSON body: compact, keys sorted, absent members left out.
    public func jsonBody() -> [UInt8] {
        var object = JSONObjectBuilder()
        object.set("ContentType", contentType)
        object.set("Content", content)
        object.set("ClientToken", clientToken)
        return object.bytes
    }
}

/// The output of `SendMessage` and `SendEvent`: the transcript item the service made.
public struct ParticipantItemReceipt: Sendable, Equatable, Decodable {
    /// `Id` (1 to 256 characters) of the new item.
    public var id: String
    /// `AbsoluteTime` (`yyyy-MM-ddThh:mm:ss.SSSZ`), as sent.
    public var absoluteTime: String?

    /// Creates a receipt.
    public init(id: String, absoluteTime: String? = nil) {
        self.id = id
        self.absoluteTime = absoluteTime
    }

    enum CodingKeys: String, CodingKey {
        case id = "Id", absoluteTime = "AbsoluteTime"
    }

    /// Decodes a 2xx answer of `operation`: `Id` must be there, 1 to 256 characters.
    static func decode<Operation: AWSOperation>(
        _ response: HTTPResponse, for operation: Operation.Type
    ) throws(AWSProtocolError) -> ParticipantItemReceipt {
        let receipt = try Operation.decodeJSON(ParticipantItemReceipt.self, from: response)
        let length = receipt.id.unicodeScalars.count
        guard (1...256).contains(length) else {
            throw AWSProtocolError(
                operation: Operation.operationName, status: response.status,
                detail: "Id is \(length) characters long; the model allows 1 to 256")
        }
        return receipt
    }
}

/// The input of `SendMessage` (`POST /participant/message`).
public struct SendMessageRequest: ParticipantContentRequest, Equatable {
    public typealias Response = ParticipantItemReceipt

    /// `SendMessage`.
    public static var operationName: String { "SendMessage" }
    /// `/participant/message`.
    public static var path: String { "/participant/message" }

    /// `ContentType`: `text/plain`, `text/markdown`, `application/json` or
    /// `application/vnd.amazonaws.connect.message.interactive.response`.
    public var contentType: String
    /// `Content`: required for a message.
    public var message: String
    /// `ClientToken`.
    public var clientToken: String?

    /// `Content`.
    public var content: String? { message }

    /// Creates a request; a `text/plain` message by default.
    public init(content: String, contentType: String = "text/plain", clientToken: String? = nil) {
        self.message = content
        self.contentType = contentType
        self.clientToken = clientToken
    }

    /// Decodes the receipt.
    public static func decodeResponse(_ response: HTTPResponse) throws(AWSProtocolError) -> ParticipantItemReceipt {
        try ParticipantItemReceipt.decode(response, for: Self.self)
    }
}

/// The input of `SendEvent` (`POST /participant/event`): typing, delivered and read receipts.
public struct SendEventRequest: ParticipantContentRequest, Equatable {
    public typealias Response = ParticipantItemReceipt

    /// `SendEvent`.
    public static var operationName: String { "SendEvent" }
    /// `/participant/event`.
    public static var path: String { "/participant/event" }

    /// The typing event's content type.
    public static let typing = "application/vnd.amazonaws.connect.event.typing"
    /// The delivered receipt's content type (content `{"messageId":"…"}`).
    public static let messageDelivered = "application/vnd.amazonaws.connect.event.message.delivered"
    /// The read receipt's content type (content `{"messageId":"…"}`).
    public static let messageRead = "application/vnd.amazonaws.connect.event.message.read"

    /// `ContentType`.
    public var contentType: String
    /// `Content`, optional.
    public var content: String?
    /// `ClientToken`.
    public var clientToken: String?

    /// Creates a request.
    public init(contentType: String, content: String? = nil, clientToken: String? = nil) {
        self.contentType = contentType
        self.content = content
        self.clientToken = clientToken
    }

    /// Decodes the receipt.
    public static func decodeResponse(_ response: HTTPResponse) throws(AWSProtocolError) -> ParticipantItemReceipt {
        try ParticipantItemReceipt.decode(response, for: Self.self)
    }
}
