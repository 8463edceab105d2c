import ChatctlJSON

/// The input of `GetTranscript` (`POST /participant/transcript`): one page of the chat's
/// items. ``ParticipantClient/transcript(_:connectionToken:maxPages:)`` follows `NextToken`.
public struct GetTranscriptRequest: ParticipantOperation, Equatable {
    public typealias Response = GetTranscriptResponse

    /// `GetTranscript`.
    public static var operationName: String { "GetTranscript" }
    /// `/participant/transcript`.
    public static var path: String { "/participant/transcript" }

    /// `ScanDirection`.
    public enum ScanDirection: String, Sendable, Equatable {
        case forward = "FORWARD", backward = "BACKWARD"
    }

    /// `SortOrder`.
    public enum SortOrder: String, Sendable, Equatable {
        case ascending = "ASCENDING", descending = "DESCENDING"
    }

    /// `StartPosition`: exactly one member is meant to be set.
    public struct StartPosition: Sendable, Equatable {
        /// `Id`: start at this item.
        public var id: String?
        /// `AbsoluteTime`: start at this time (`yyyy-MM-ddThh:mm:ss.SSSZ`).
        public var absoluteTime: String?
        /// `MostRecent`: start this many items back from the latest (0 to 100).
        public var mostRecent: Int?

        /// Creates a position.
        public init(id: String? = nil, absoluteTime: String? = nil, mostRecent: Int? = nil) {
            self.id = id
            self.absoluteTime = absoluteTime
            self.mostRecent = mostRecent
        }
    }

    /// `ContactId`: a contact of the chain (default the current one).
    public var contactId: String?
    /// `MaxResults`: items per page, 0 to 100 (the service's default is 10).
    public var maxResults: Int?
    /// `NextToken`: the page after the one that answered it.
    public var nextToken: String?
    /// `ScanDirection` (the service defaults to `BACKWARD` without a start position).
    public var scanDirection: ScanDirection?
    /// `SortOrder` (the service defaults to `DESCENDING`).
    public var sortOrder: SortOrder?
    /// `StartPosition`.
    public var startPosition: StartPosition?

    /// Creates a request.
    public init(
        contactId: String? = nil, maxResults: Int? = nil, nextToken: String? = nil, scanDirection: ScanDirection? = nil,
        sortOrder: SortOrder? = nil, startPosition: StartPosition? = nil
    ) {
        self.contactId = contactId
        self.maxResults = maxResults
        self.nextToken = nextToken
        self.scanDirection = scanDirection
        self.sortOrder = sortOrder
        self.startPosition = startPosition
    }

    /// The whole chat so far, oldest first, 100 items a page: what a client catches up with
    /// (research §1.7: `BACKWARD`, `ASCENDING`, `MaxResults` 100).
    public static var everything: GetTranscriptRequest {
        GetTranscriptRequest(maxResults: 100, scanDirection: .backward, sortOrder: .ascending)
    }

    /// The exact JSON body: compact, keys sorted, absent members left out.
    public func jsonBody() -> [UInt8] {
        var object = JSONObjectBuilder()
        object.set("ContactId", contactId)
        object.set("MaxResults", maxResults)
        object.set("NextToken", nextToken)
        object.set("ScanDirection", scanDirection?.rawValue)
        object.set("SortOrder", sortOrder?.rawValue)
        if let startPosition {
            var position = JSONObjectBuilder()
            position.set("Id", startPosition.id)
            position.set("AbsoluteTime", startPosition.absoluteTime)
            position.set("MostRecent", startPosition.mostRecent)
            object.set("StartPosition", position.node)
        }
        return object.bytes
    }

    /// Decodes one page.
    public static func decodeResponse(_ response: HTTPResponse) throws(AWSProtocolError) -> GetTranscriptResponse {
        try decodeJSON(GetTranscriptResponse.self, from: response)
    }
}

/// The output of `GetTranscript`: one page.
public struct GetTranscriptResponse: Sendable, Equatable, Decodable {
    /// `InitialContactId`: the first contact of the chat.
    public var initialContactId: String?
    /// `Transcript`: the page's items, in the order asked for.
    public var transcript: [ChatTranscriptItem]
    /// `NextToken`: present when there are more pages.
    public var nextToken: String?

    /// Creates a page.
    public init(initialContactId: String? = nil, transcript: [ChatTranscriptItem] = [], nextToken: String? = nil) {
        self.initialContactId = initialContactId
        self.transcript = transcript
        self.nextToken = nextToken
    }

    enum CodingKeys: String, CodingKey {
        case initialContactId = "InitialContactId", transcript = "Transcript", nextToken = "NextToken"
    }

    /// Decodes a page; a missing `Transcript` is an empty page.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        initialContactId = try container.decodeIfPresent(String.self, forKey: .initialContactId)
        transcript = try container.decodeIfPresent([ChatTranscriptItem].self, forKey: .transcript) ?? []
        nextToken = try container.decodeIfPresent(String.self, forKey: .nextToken)
    }
}

/// The input of `DisconnectParticipant` (`POST /participant/disconnect`): the customer
/// leaves, which ends a chat with no agent.
public struct DisconnectParticipantRequest: ParticipantOperation, Equatable {
    public typealias Response = StopContactResponse

    /// `DisconnectParticipant`.
    public static var operationName: String { "DisconnectParticipant" }
    /// `/participant/disconnect`.
    public static var path: String { "/participant/disconnect" }

    /// `ClientToken` (at most 500 characters): ``ParticipantClient`` generates one when missing.
    public var clientToken: String?

    /// Creates a request.
    public init(clientToken: String? = nil) {
        self.clientToken = clientToken
    }

    /// The exact JSON body.
    public func jsonBody() -> [UInt8] {
        var object = JSONObjectBuilder()
        object.set("ClientToken", clientToken)
        return object.bytes
    }

    /// Decodes the empty answer (any JSON object; an empty body counts as `{}`).
    public static func decodeResponse(_ response: HTTPResponse) throws(AWSProtocolError) -> StopContactResponse {
        try decodeJSON(StopContactResponse.self, from: response)
    }
}
