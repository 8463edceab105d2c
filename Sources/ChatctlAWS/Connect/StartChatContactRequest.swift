import ChatctlJSON
/// The input of `StartChatContact` (`PUT /contact/chat`), with every member of the API
/// model (botocore 1.43.11, Connect 2017-08-08). Member names in the JSON body are the
/// model's PascalCase names; absent (`nil`) members are left out.
///
/// `CustomerId` is sensitive in the model: it is held as ``Sensitive`` so printing the
/// request never shows it, and ``redactedJSONBody()`` replaces it with `"(sensitive)"`.
/// Lengths and ranges below are the model's; this type does not enforce them (the profile
/// validator does), so the service's own errors stay reachable.
public struct StartChatContactRequest: AWSOperation, Equatable, CustomStringConvertible,
    CustomDebugStringConvertible, CustomReflectable
{
    public typealias Response = StartChatContactResponse

    /// `StartChatContact`.
    public static var operationName: String { "StartChatContact" }

    /// `ParticipantDetails`: the customer's side of the chat.
    public struct ParticipantDetails: Sendable, Equatable {
        /// `DisplayName`: 1 to 256 characters, required.
        public var displayName: String

        /// Creates participant details.
        public init(displayName: String) {
            self.displayName = displayName
        }
    }

    /// `ResponseMode` of `ParticipantConfiguration`.
    public enum ResponseMode: String, Sendable, Equatable, CaseIterable {
        /// `INCREMENTAL`: messages stream as they are produced.
        case incremental = "INCREMENTAL"
        /// `COMPLETE`: whole messages only.
        case complete = "COMPLETE"
    }

    /// `ParticipantConfiguration`.
    public struct ParticipantConfiguration: Sendable, Equatable {
        /// `ResponseMode`.
        public var responseMode: ResponseMode?

        /// Creates a participant configuration.
        public init(responseMode: ResponseMode? = nil) {
            self.responseMode = responseMode
        }
    }

    /// `ChatMessage`: the first message of the chat.
    public struct ChatMessage: Sendable, Equatable {
        /// `ContentType`: 1 to 100 characters, for example `text/plain`; required.
        public var contentType: String
        /// `Content`: 1 to 16384 characters; required.
        public var content: String

        /// Creates a message.
        public init(contentType: String, content: String) {
            self.contentType = contentType
            self.content = content
        }
    }

    /// `RehydrationType` of `PersistentChat`.
    public enum RehydrationType: String, Sendable, Equatable, CaseIterable {
        /// `ENTIRE_PAST_SESSION`.
        case entirePastSession = "ENTIRE_PAST_SESSION"
        /// `FROM_SEGMENT`.
        case fromSegment = "FROM_SEGMENT"
    }

    /// `PersistentChat`: continue an earlier chat.
    public struct PersistentChat: Sendable, Equatable {
        /// `RehydrationType`.
        public var rehydrationType: RehydrationType?
        /// `SourceContactId`: 1 to 256 characters.
        public var sourceContactId: String?

        /// Creates persistent-chat settings.
        public init(rehydrationType: RehydrationType? = nil, sourceContactId: String? = nil) {
            self.rehydrationType = rehydrationType
            self.sourceContactId = sourceContactId
        }
    }

    /// Members of `DisconnectOnCustomerExit`.
    public enum DisconnectOnCustomerExitParticipantType: String, Sendable, Equatable, CaseIterable {
        /// `AGENT`.
        case agent = "AGENT"
    }

    /// The members, behind one reference that copies share until one of them changes: a
    /// request is then 8 bytes wherever it is kept (a profile, its planned call) and a copy
    /// is one retain, for each of a large plan's profiles (issue 15).
    private var storage: Storage

    /// The model's members as stored (see the public properties for each one's meaning).
    private struct Members: Equatable {
        var instanceId: String
        var contactFlowId: String
        var attributes: [String: String]?
        var participantDetails: ParticipantDetails
        var participantConfiguration: ParticipantConfiguration?
        var initialMessage: ChatMessage?
        var clientToken: String?
        var chatDurationInMinutes: Int?
        var supportedMessagingContentTypes: [String]?
        var persistentChat: PersistentChat?
        var relatedContactId: String?
        var segmentAttributes: [String: SegmentAttributeValue]?
        var customerId: Sensitive<String>?
        var disconnectOnCustomerExit: [DisconnectOnCustomerExitParticipantType]?
    }

    /// ``Members`` behind a reference.
    private final class Storage: @unchecked Sendable {
        // @unchecked: changed only through `members`' accessor, which makes a copy first
        // unless this request holds the only reference (copy on write), so no storage
        // another thread can see is ever changed.
        var members: Members
        init(_ members: Members) { self.members = members }
    }

    /// The members; changing one copies them first when another request shares them.
    private var members: Members {
        get { storage.members }
        _modify {
            if !isKnownUniquelyReferenced(&storage) { storage = Storage(storage.members) }
            yield &storage.members
        }
    }

    public static func == (left: StartChatContactRequest, right: StartChatContactRequest) -> Bool {
        left.storage === right.storage || left.storage.members == right.storage.members
    }

    /// `InstanceId`: 1 to 100 characters; required.
    public var instanceId: String {
        get { storage.members.instanceId }
        _modify { yield &members.instanceId }
    }
    /// `ContactFlowId`: at most 500 characters; required.
    public var contactFlowId: String {
        get { storage.members.contactFlowId }
        _modify { yield &members.contactFlowId }
    }
    /// `Attributes`: names of 1 to 32767 characters to values of 0 to 32767 characters.
    public var attributes: [String: String]? {
        get { storage.members.attributes }
        _modify { yield &members.attributes }
    }
    /// `ParticipantDetails`; required.
    public var participantDetails: ParticipantDetails {
        get { storage.members.participantDetails }
        _modify { yield &members.participantDetails }
    }
    /// `ParticipantConfiguration`.
    public var participantConfiguration: ParticipantConfiguration? {
        get { storage.members.participantConfiguration }
        _modify { yield &members.participantConfiguration }
    }
    /// `InitialMessage`.
    public var initialMessage: ChatMessage? {
        get { storage.members.initialMessage }
        _modify { yield &members.initialMessage }
    }
    /// `ClientToken`: the idempotency token, at most 500 characters. Keep it the same on
    /// every retry of one logical call.
    public var clientToken: String? {
        get { storage.members.clientToken }
        _modify { yield &members.clientToken }
    }
    /// `ChatDurationInMinutes`: 60 to 10080 (7 days); the service default is 1500 (25 hours).
    public var chatDurationInMinutes: Int? {
        get { storage.members.chatDurationInMinutes }
        _modify { yield &members.chatDurationInMinutes }
    }
    /// `SupportedMessagingContentTypes`: MIME types, each 1 to 100 characters.
    public var supportedMessagingContentTypes: [String]? {
        get { storage.members.supportedMessagingContentTypes }
        _modify { yield &members.supportedMessagingContentTypes }
    }
    /// `PersistentChat`.
    public var persistentChat: PersistentChat? {
        get { storage.members.persistentChat }
        _modify { yield &members.persistentChat }
    }
    /// `RelatedContactId`: 1 to 256 characters.
    public var relatedContactId: String? {
        get { storage.members.relatedContactId }
        _modify { yield &members.relatedContactId }
    }
    /// `SegmentAttributes`: names of 1 to 128 characters to values.
    public var segmentAttributes: [String: SegmentAttributeValue]? {
        get { storage.members.segmentAttributes }
        _modify { yield &members.segmentAttributes }
    }
    /// `CustomerId`: 1 to 128 characters; sensitive.
    public var customerId: Sensitive<String>? {
        get { storage.members.customerId }
        _modify { yield &members.customerId }
    }
    /// `DisconnectOnCustomerExit`: exactly one element when present.
    public var disconnectOnCustomerExit: [DisconnectOnCustomerExitParticipantType]? {
        get { storage.members.disconnectOnCustomerExit }
        _modify { yield &members.disconnectOnCustomerExit }
    }

    /// Creates a request; only the three required members have no default.
    public init(
        instanceId: String,
        contactFlowId: String,
        participantDetails: ParticipantDetails,
        attributes: [String: String]? = nil,
        participantConfiguration: ParticipantConfiguration? = nil,
        initialMessage: ChatMessage? = nil,
        clientToken: String? = nil,
        chatDurationInMinutes: Int? = nil,
        supportedMessagingContentTypes: [String]? = nil,
        persistentChat: PersistentChat? = nil,
        relatedContactId: String? = nil,
        segmentAttributes: [String: SegmentAttributeValue]? = nil,
        customerId: Sensitive<String>? = nil,
        disconnectOnCustomerExit: [DisconnectOnCustomerExitParticipantType]? = nil
    ) {
        storage = Storage(Members(
            instanceId: instanceId,
            contactFlowId: contactFlowId,
            attributes: attributes,
            participantDetails: participantDetails,
            participantConfiguration: participantConfiguration,
            initialMessage: initialMessage,
            clientToken: clientToken,
            chatDurationInMinutes: chatDurationInMinutes,
            supportedMessagingContentTypes: supportedMessagingContentTypes,
            persistentChat: persistentChat,
            relatedContactId: relatedContactId,
            segmentAttributes: segmentAttributes,
            customerId: customerId,
            disconnectOnCustomerExit: disconnectOnCustomerExit))
    }

    /// The exact JSON body sent: compact, keys sorted by UTF-8 bytes, absent members left out.
    public func jsonBody() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(512)
        appendJSONBody(to: &output)
        return output
    }

    /// The JSON body with `CustomerId` replaced by `"(sensitive)"`, for plans and logs.
    public func redactedJSONBody() -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(512)
        appendJSONBody(to: &output, redacting: true)
        return output
    }

    /// Appends ``jsonBody()`` (or, `redacting`, ``redactedJSONBody()``) to `output`.
    ///
    /// The bytes are written straight from the members, in the order of their names'
    /// UTF-8 (the order `JSONWriter` sorts them in), with no `JSONValue` built between:
    /// a plan computes the digest of every profile's body (issue 15). They are the same
    /// bytes as `JSONWriter.compact` of the request as a JSON object, member for member
    /// (`StartChatContactRequestTests` holds the two to agreement), so no digest that an
    /// existing lockfile records changes.
    public func appendJSONBody(to output: inout [UInt8], redacting: Bool = false) {
        var body = CompactObjectWriter(opening: &output)
        if let attributes {
            body.name(.attributes, to: &output)
            var map = CompactObjectWriter(opening: &output)
            // The members sorted with their values (no lookup, and so no hash, of each key again).
            for (key, value) in attributes.sorted(by: { JSONWriter.utf8Precedes($0.key, $1.key) }) {
                map.member(key: key, string: value, to: &output)
            }
            map.close(&output)
        }
        if let chatDurationInMinutes {
            body.name(.chatDurationInMinutes, to: &output)
            output.append(contentsOf: String(chatDurationInMinutes).utf8)
        }
        if let clientToken { body.member(.clientToken, string: clientToken, to: &output) }
        body.member(.contactFlowId, string: contactFlowId, to: &output)
        if let customerId {
            body.member(.customerId, string: redacting ? Sensitive<String>.placeholder : customerId.value, to: &output)
        }
        if let disconnectOnCustomerExit {
            body.member(.disconnectOnCustomerExit, strings: disconnectOnCustomerExit.map(\.rawValue), to: &output)
        }
        if let initialMessage {
            body.name(.initialMessage, to: &output)
            var message = CompactObjectWriter(opening: &output)
            message.member(.content, string: initialMessage.content, to: &output)
            message.member(.contentType, string: initialMessage.contentType, to: &output)
            message.close(&output)
        }
        body.member(.instanceId, string: instanceId, to: &output)
        if let participantConfiguration {
            body.name(.participantConfiguration, to: &output)
            var configuration = CompactObjectWriter(opening: &output)
            if let mode = participantConfiguration.responseMode {
                configuration.member(.responseMode, string: mode.rawValue, to: &output)
            }
            configuration.close(&output)
        }
        body.name(.participantDetails, to: &output)
        var details = CompactObjectWriter(opening: &output)
        details.member(.displayName, string: participantDetails.displayName, to: &output)
        details.close(&output)
        if let persistentChat {
            body.name(.persistentChat, to: &output)
            var chat = CompactObjectWriter(opening: &output)
            if let type = persistentChat.rehydrationType { chat.member(.rehydrationType, string: type.rawValue, to: &output) }
            if let source = persistentChat.sourceContactId { chat.member(.sourceContactId, string: source, to: &output) }
            chat.close(&output)
        }
        if let relatedContactId { body.member(.relatedContactId, string: relatedContactId, to: &output) }
        if let segmentAttributes {
            body.name(.segmentAttributes, to: &output)
            SegmentAttributeValue.appendJSON(of: segmentAttributes, to: &output)
        }
        if let supportedMessagingContentTypes {
            body.member(.supportedMessagingContentTypes, strings: supportedMessagingContentTypes, to: &output)
        }
        body.close(&output)
    }

    /// The redacted JSON body as text.
    public var description: String {
        String(decoding: redactedJSONBody(), as: UTF8.self)
    }

    /// `StartChatContactRequest(<redacted JSON body>)`.
    public var debugDescription: String {
        "StartChatContactRequest(\(description))"
    }

    /// The members, as a struct of stored members would show them (`dump`, failed
    /// expectations), not the reference they are kept behind; `CustomerId` shows as
    /// ``Sensitive`` shows itself.
    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "instanceId": instanceId, "contactFlowId": contactFlowId, "attributes": attributes as Any,
                "participantDetails": participantDetails, "participantConfiguration": participantConfiguration as Any,
                "initialMessage": initialMessage as Any, "clientToken": clientToken as Any,
                "chatDurationInMinutes": chatDurationInMinutes as Any,
                "supportedMessagingContentTypes": supportedMessagingContentTypes as Any,
                "persistentChat": persistentChat as Any, "relatedContactId": relatedContactId as Any,
                "segmentAttributes": segmentAttributes as Any, "customerId": customerId as Any,
                "disconnectOnCustomerExit": disconnectOnCustomerExit as Any,
            ],
            displayStyle: .struct)
    }

    /// `PUT /contact/chat` with `Content-Type: application/json` and ``jsonBody()``.
    public func httpRequest(endpoint: ServiceEndpoint) -> HTTPRequest {
        endpoint.request(
            method: "PUT", path: "/contact/chat", headers: ["Content-Type": "application/json"], body: jsonBody())
    }

    /// Decodes the `StartChatContactResponse` body.
    public static func decodeResponse(_ response: HTTPResponse) throws(AWSProtocolError) -> StartChatContactResponse {
        let output = try decodeJSON(StartChatContactResponse.self, from: response)
        if let problem = output.modelViolation {
            throw AWSProtocolError(operation: operationName, status: response.status, detail: problem)
        }
        return output
    }

    /// The request as a JSON object, member for member: what ``appendJSONBody(to:redacting:)``
    /// writes, in the general form its agreement test compares it with.
    func jsonValue(redacting: Bool) -> JSONValue {
        var object = JSONObjectBuilder()
        object.set("InstanceId", instanceId)
        object.set("ContactFlowId", contactFlowId)
        object.set("Attributes", attributes)
        object.set("ParticipantDetails", JSONValue.object(["DisplayName": .string(participantDetails.displayName)]))
        if let participantConfiguration {
            var configuration = JSONObjectBuilder()
            configuration.set("ResponseMode", participantConfiguration.responseMode?.rawValue)
            object.set("ParticipantConfiguration", configuration.node)
        }
        if let initialMessage {
            object.set(
                "InitialMessage",
                JSONValue.object([
                    "ContentType": .string(initialMessage.contentType), "Content": .string(initialMessage.content),
                ]))
        }
        object.set("ClientToken", clientToken)
        object.set("ChatDurationInMinutes", chatDurationInMinutes)
        object.set("SupportedMessagingContentTypes", supportedMessagingContentTypes)
        if let persistentChat {
            var chat = JSONObjectBuilder()
            chat.set("RehydrationType", persistentChat.rehydrationType?.rawValue)
            chat.set("SourceContactId", persistentChat.sourceContactId)
            object.set("PersistentChat", chat.node)
        }
        object.set("RelatedContactId", relatedContactId)
        object.set("SegmentAttributes", segmentAttributes.map { JSONValue.object($0.mapValues(\.jsonValue)) })
        object.set("CustomerId", customerId, redacting: redacting)
        object.set("DisconnectOnCustomerExit", disconnectOnCustomerExit?.map(\.rawValue))
        return object.node
    }
}

extension SegmentAttributeValue {
    /// Appends `map` as a compact JSON object of values, the bytes `JSONWriter.compact`
    /// writes for it as a `JSONValue`, without building one: a plan writes the segment
    /// attributes of every profile for its digest (issue 15).
    fileprivate static func appendJSON(of map: [String: SegmentAttributeValue], to output: inout [UInt8]) {
        var object = CompactObjectWriter(opening: &output)
        for (key, value) in map.sorted(by: { JSONWriter.utf8Precedes($0.key, $1.key) }) {
            object.name(key: key, to: &output)
            value.appendJSON(to: &output)
        }
        object.close(&output)
    }

    /// Appends this value as a compact JSON object, its members in the UTF-8 order of their
    /// names (`ValueArn`, `ValueInteger`, `ValueList`, `ValueMap`, `ValueString`).
    private func appendJSON(to output: inout [UInt8]) {
        var object = CompactObjectWriter(opening: &output)
        if let valueArn { object.member(.valueArn, string: valueArn, to: &output) }
        if let valueInteger {
            object.name(.valueInteger, to: &output)
            output.append(contentsOf: String(valueInteger).utf8)
        }
        if let valueList {
            object.name(.valueList, to: &output)
            output.append(UInt8(ascii: "["))
            for (position, element) in valueList.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                element.appendJSON(to: &output)
            }
            output.append(UInt8(ascii: "]"))
        }
        if let valueMap {
            object.name(.valueMap, to: &output)
            Self.appendJSON(of: valueMap, to: &output)
        }
        if let valueString { object.member(.valueString, string: valueString, to: &output) }
        object.close(&output)
    }
}

/// Writes one compact JSON object whose members the caller gives in the UTF-8 order of
/// their names (``StartChatContactRequest/appendJSONBody(to:redacting:)``): the braces, the
/// commas and the quoted names, without a `JSONValue` between.
private struct CompactObjectWriter {
    /// No member written yet (no comma before the next).
    private var empty = true

    /// Opens an object at the end of `output`.
    init(opening output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
    }

    /// Writes the next member's name and colon; its value follows.
    mutating func name(_ name: MemberName, to output: inout [UInt8]) {
        if !empty { output.append(UInt8(ascii: ",")) }
        empty = false
        output.append(contentsOf: name.json)
    }

    /// ``name(_:to:)`` for a key the request holds (an attribute's), escaped as it needs.
    mutating func name(key: String, to output: inout [UInt8]) {
        if !empty { output.append(UInt8(ascii: ",")) }
        empty = false
        JSONWriter.appendString(key, to: &output)
        output.append(UInt8(ascii: ":"))
    }

    mutating func member(_ name: MemberName, string: String, to output: inout [UInt8]) {
        self.name(name, to: &output)
        JSONWriter.appendString(string, to: &output)
    }

    mutating func member(key: String, string: String, to output: inout [UInt8]) {
        self.name(key: key, to: &output)
        JSONWriter.appendString(string, to: &output)
    }

    mutating func member(_ name: MemberName, strings: [String], to output: inout [UInt8]) {
        self.name(name, to: &output)
        output.append(UInt8(ascii: "["))
        for (position, text) in strings.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            JSONWriter.appendString(text, to: &output)
        }
        output.append(UInt8(ascii: "]"))
    }

    /// Closes the object.
    func close(_ output: inout [UInt8]) {
        output.append(UInt8(ascii: "}"))
    }
}

/// A member name the request's body always writes, as its JSON once: the quoted name and
/// its colon (a plan writes some twenty for the digest of every profile, issue 15).
private struct MemberName {
    let json: [UInt8]

    init(_ name: String) {
        var json: [UInt8] = []
        JSONWriter.appendString(name, to: &json)
        json.append(UInt8(ascii: ":"))
        self.json = json
    }

    static let attributes = MemberName("Attributes")
    static let chatDurationInMinutes = MemberName("ChatDurationInMinutes")
    static let clientToken = MemberName("ClientToken")
    static let contactFlowId = MemberName("ContactFlowId")
    static let content = MemberName("Content")
    static let contentType = MemberName("ContentType")
    static let customerId = MemberName("CustomerId")
    static let disconnectOnCustomerExit = MemberName("DisconnectOnCustomerExit")
    static let displayName = MemberName("DisplayName")
    static let initialMessage = MemberName("InitialMessage")
    static let instanceId = MemberName("InstanceId")
    static let participantConfiguration = MemberName("ParticipantConfiguration")
    static let participantDetails = MemberName("ParticipantDetails")
    static let persistentChat = MemberName("PersistentChat")
    static let rehydrationType = MemberName("RehydrationType")
    static let relatedContactId = MemberName("RelatedContactId")
    static let responseMode = MemberName("ResponseMode")
    static let segmentAttributes = MemberName("SegmentAttributes")
    static let sourceContactId = MemberName("SourceContactId")
    static let supportedMessagingContentTypes = MemberName("SupportedMessagingContentTypes")
    static let valueArn = MemberName("ValueArn")
    static let valueInteger = MemberName("ValueInteger")
    static let valueList = MemberName("ValueList")
    static let valueMap = MemberName("ValueMap")
    static let valueString = MemberName("ValueString")
}
