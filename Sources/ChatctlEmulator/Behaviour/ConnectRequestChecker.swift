import ChatctlJSON

/// A StartChatContact request that passed every check that needs no emulator state.
struct StartChatInput: Sendable, Equatable {
    /// The parsed body, compared member by member for idempotency.
    var body: JSONValue
    /// The bare instance id.
    var instanceID: String
    /// The bare contact flow id.
    var contactFlowID: String
    /// `ClientToken`, when given.
    var clientToken: String?
    /// `ChatDurationInMinutes`, or the default of 1500.
    var chatDurationInMinutes: Int
    /// `PersistentChat`, when given: the rehydration type and source contact.
    var persistentChat: (rehydrationType: String, sourceContactID: String)?
    /// `RelatedContactId`.
    var relatedContactID: String?

    static func == (lhs: StartChatInput, rhs: StartChatInput) -> Bool {
        lhs.body == rhs.body
    }
}

/// A StopContact request that passed every check that needs no emulator state.
struct StopContactInput: Sendable, Equatable {
    /// `ContactId`.
    var contactID: String
    /// The bare instance id.
    var instanceID: String
    /// `DisconnectReason.Code`.
    var disconnectReasonCode: String?
}

/// The checks of a request that depend only on the configuration: JSON syntax, the model's
/// constraints, the documented rules between members, and whether the instance and flow
/// exist. Pure and stateless, so the server runs them outside its lock.
struct ConnectRequestChecker: Sendable {
    /// The default `ChatDurationInMinutes`: 25 hours.
    static let defaultChatDurationInMinutes = 1500
    /// The content types `SupportedMessagingContentTypes` may list.
    static let supportedContentTypes = [
        "text/plain", "text/markdown", "application/json",
        "application/vnd.amazonaws.connect.message.interactive",
        "application/vnd.amazonaws.connect.message.interactive.response",
    ]
    /// The content types an `InitialMessage` may have, with the longest content each allows.
    static let initialMessageLimits: [(contentType: String, maxLength: Int)] = [
        ("text/plain", 1024), ("text/markdown", 1024), ("application/json", 12_000),
        ("application/vnd.amazonaws.connect.message.interactive.response", 12_288),
    ]
    /// The most UTF-8 bytes `Attributes` may hold across all names and values.
    static let maxAttributeBytes = 32_768
    static let interactive = "application/vnd.amazonaws.connect.message.interactive"
    static let interactiveResponse = "application/vnd.amazonaws.connect.message.interactive.response"

    /// The region requests are served in.
    var region: String
    /// The instances that exist; `nil` accepts any well-formed id.
    var knownInstances: Set<String>?
    /// The flows that exist, each with the instance its ARN names (`nil` for a bare id,
    /// which any instance has); `nil` accepts any well-formed id.
    var knownFlows: [String: Set<String?>]?
    var validator = ModelValidator()

    /// Creates the checker for a configuration whose ``EmulatorConfiguration/problems`` is empty.
    init(configuration: EmulatorConfiguration) {
        self.region = configuration.region
        if !configuration.instances.isEmpty {
            var instances: Set<String> = []
            for text in configuration.instances {
                if case .success(let instance) = ConnectResourceID.parseInstance(text) {
                    instances.insert(instance.id)
                }
            }
            self.knownInstances = instances
        }
        if !configuration.flows.isEmpty {
            var flows: [String: Set<String?>] = [:]
            for text in configuration.flows {
                if case .success(let flow) = ConnectResourceID.parseFlow(text) {
                    flows[flow.id, default: []].insert(flow.instanceID)
                }
            }
            self.knownFlows = flows
        }
    }

    // MARK: - Operations

    /// Checks a StartChatContact body.
    ///
    /// - Throws: ``ConnectError`` `SerializationException`, `InvalidParameterException`,
    ///   `InvalidRequestException` or `ResourceNotFoundException`.
    func checkStartChatContact(_ bytes: [UInt8]) throws(ConnectError) -> StartChatInput {
        let body = try Self.parseBody(bytes)
        try validator.validate(body, shape: "StartChatContactRequest")
        let instanceID = try resolveInstance(body["InstanceId"]?.stringValue ?? "")
        let flowID = try resolveFlow(body["ContactFlowId"]?.stringValue ?? "", instanceID: instanceID)

        var persistent: (String, String)?
        if let chat = body["PersistentChat"], chat != .null {
            if let related = body["RelatedContactId"], related != .null {
                throw .invalidRequest("You cannot provide data for both RelatedContactId and PersistentChat.")
            }
            guard let rehydration = chat["RehydrationType"]?.stringValue else {
                throw .invalidRequest("RehydrationType is required for persistent chat.")
            }
            guard let source = chat["SourceContactId"]?.stringValue else {
                throw .invalidRequest("SourceContactId is required for persistent chat.")
            }
            persistent = (rehydration, source)
        }
        let contentTypes = try checkContentTypes(body)
        try checkInitialMessage(body, contentTypes: contentTypes)
        try checkAttributes(body)
        try checkSegmentAttributes(body, contentTypes: contentTypes)

        return StartChatInput(
            body: body, instanceID: instanceID, contactFlowID: flowID,
            clientToken: body["ClientToken"]?.stringValue,
            chatDurationInMinutes: body["ChatDurationInMinutes"].flatMap(ModelValidator.integer)
                ?? Self.defaultChatDurationInMinutes,
            persistentChat: persistent, relatedContactID: body["RelatedContactId"]?.stringValue)
    }

    /// Checks a StopContact body.
    ///
    /// - Throws: ``ConnectError`` `SerializationException`, `InvalidParameterException` or
    ///   `ResourceNotFoundException`.
    func checkStopContact(_ bytes: [UInt8]) throws(ConnectError) -> StopContactInput {
        let body = try Self.parseBody(bytes)
        try validator.validate(body, shape: "StopContactRequest")
        let instanceID = try resolveInstance(body["InstanceId"]?.stringValue ?? "")
        return StopContactInput(
            contactID: body["ContactId"]?.stringValue ?? "", instanceID: instanceID,
            disconnectReasonCode: body["DisconnectReason"]?["Code"]?.stringValue)
    }

    /// Parses a JSON body; an empty body counts as `{}` (restJson1 sends no body when no
    /// member is set).
    ///
    /// - Throws: ``ConnectError`` `SerializationException` for text that is not strict JSON
    ///   (duplicate member names included).
    static func parseBody(_ bytes: [UInt8]) throws(ConnectError) -> JSONValue {
        guard bytes.contains(where: { ![0x20, 0x09, 0x0A, 0x0D].contains($0) }) else {
            return .object([:])
        }
        do {
            return try JSONParser.parse(bytes)
        } catch {
            throw .serialization("The request body is not valid JSON: \(error.line):\(error.column): \(error.message).")
        }
    }

    // MARK: - Resources

    private func resolveInstance(_ text: String) throws(ConnectError) -> String {
        let instance: ConnectResourceID.Instance
        switch ConnectResourceID.parseInstance(text) {
        case .success(let parsed):
            instance = parsed
        case .failure:
            throw .invalidParameter("InstanceId '\(text)' is not a valid instance id or instance ARN.")
        }
        if let region = instance.region, region != self.region {
            throw .resourceNotFound("Instance '\(instance.id)' was not found in region \(self.region).")
        }
        if let knownInstances, !knownInstances.contains(instance.id) {
            throw .resourceNotFound("Instance '\(instance.id)' was not found.")
        }
        return instance.id
    }

    private func resolveFlow(_ text: String, instanceID: String) throws(ConnectError) -> String {
        let flow: ConnectResourceID.Flow
        switch ConnectResourceID.parseFlow(text) {
        case .success(let parsed):
            flow = parsed
        case .failure:
            throw .invalidParameter("ContactFlowId '\(text)' is not a valid contact flow id or contact flow ARN.")
        }
        let notFound = ConnectError.resourceNotFound(
            "Contact flow '\(flow.id)' was not found in instance '\(instanceID)'.")
        if let owner = flow.instanceID, owner != instanceID {
            throw notFound
        }
        if let region = flow.region, region != self.region {
            throw notFound
        }
        if let knownFlows {
            guard let owners = knownFlows[flow.id], owners.contains(nil) || owners.contains(instanceID) else {
                throw notFound
            }
        }
        return flow.id
    }

    // MARK: - Rules between members

    private func checkContentTypes(_ body: JSONValue) throws(ConnectError) -> [String] {
        guard let list = body["SupportedMessagingContentTypes"]?.arrayValue else {
            return ["text/plain"]
        }
        let types = list.compactMap(\.stringValue)
        for (index, type) in types.enumerated() where !Self.supportedContentTypes.contains(type) {
            throw .invalidParameter(
                "Content type '\(type)' at 'SupportedMessagingContentTypes[\(index)]' is not supported. "
                    + "Supported types are text/plain, text/markdown, application/json, "
                    + "\(Self.interactive) and \(Self.interactiveResponse).")
        }
        guard types.contains("text/plain") else {
            throw .invalidRequest("SupportedMessagingContentTypes must contain text/plain.")
        }
        return types
    }

    private func checkInitialMessage(_ body: JSONValue, contentTypes: [String]) throws(ConnectError) {
        guard let message = body["InitialMessage"], message != .null,
            let type = message["ContentType"]?.stringValue, let content = message["Content"]?.stringValue
        else { return }
        guard let limit = Self.initialMessageLimits.first(where: { $0.contentType == type }) else {
            throw .invalidParameter(
                "InitialMessage.ContentType '\(type)' is not supported. Supported types are text/plain, "
                    + "text/markdown, application/json and \(Self.interactiveResponse).")
        }
        guard contentTypes.contains(type) else {
            throw .invalidRequest(
                "InitialMessage.ContentType '\(type)' must be one of the SupportedMessagingContentTypes.")
        }
        if content.unicodeScalars.count > limit.maxLength {
            throw .invalidParameter(
                "InitialMessage.Content must have length less than or equal to \(limit.maxLength) for \(type).")
        }
    }

    private func checkAttributes(_ body: JSONValue) throws(ConnectError) {
        guard let attributes = body["Attributes"]?.objectValue else { return }
        var bytes = 0
        for key in attributes.keys.sorted(by: JSONWriter.utf8Precedes) {
            guard Self.isAttributeName(key, allowingColon: false) else {
                let path = JSONPointer().appending(key: "Attributes").appending(key: key).fieldPath
                throw .invalidParameter(
                    "Attribute name at '\(path)' can include only alphanumeric, dash, and underscore characters.")
            }
            bytes += key.utf8.count + (attributes[key]?.stringValue?.utf8.count ?? 0)
        }
        if bytes > Self.maxAttributeBytes {
            throw .invalidParameter(
                "Attributes hold \(bytes) UTF-8 bytes; there can be up to 32,768 UTF-8 bytes across all "
                    + "key-value pairs per contact.")
        }
    }

    private func checkSegmentAttributes(_ body: JSONValue, contentTypes: [String]) throws(ConnectError) {
        guard let attributes = body["SegmentAttributes"]?.objectValue else { return }
        let root = JSONPointer().appending(key: "SegmentAttributes")
        for name in attributes.keys.sorted(by: JSONWriter.utf8Precedes) {
            guard let value = attributes[name] else { continue }
            try checkSegmentValue(
                value, name: name, path: root.appending(key: name), isSystem: name.hasPrefix("connect:"))
        }
        if attributes["connect:Subtype"]?["ValueString"]?.stringValue == "connect:Guide",
            !(contentTypes.contains(Self.interactive) && contentTypes.contains(Self.interactiveResponse))
        {
            throw .invalidRequest(
                "SupportedMessagingContentTypes must contain \(Self.interactive) and \(Self.interactiveResponse) "
                    + "to set connect:Subtype to connect:Guide.")
        }
    }

    private func checkSegmentValue(
        _ value: JSONValue, name: String, path: JSONPointer, isSystem: Bool
    ) throws(ConnectError) {
        guard Self.isAttributeName(name, allowingColon: true) else {
            throw .invalidParameter(
                "Segment attribute name at '\(path.fieldPath)' can include only alphanumeric, ':', '-' and '_' characters.")
        }
        guard let members = value.objectValue else { return }
        let set = members.filter { $0.value != .null }
        guard set.count == 1, let (member, inner) = set.first else {
            throw .invalidParameter(
                "Segment attribute value at '\(path.fieldPath)' must set exactly one of ValueString, ValueInteger, "
                    + "ValueList, ValueMap and ValueArn.")
        }
        switch member {
        case "ValueArn", "ValueList":
            guard isSystem else {
                throw .invalidRequest(
                    "\(member) at '\(path.appending(key: member).fieldPath)' is only supported for system-defined "
                        + "attributes (names starting with connect:), not for user-defined attributes.")
            }
            if member == "ValueArn", let arn = inner.stringValue, !ConnectResourceID.isWellFormedARN(arn) {
                throw .invalidParameter("ValueArn at '\(path.appending(key: member).fieldPath)' is not a valid ARN.")
            }
            for (index, item) in (inner.arrayValue ?? []).enumerated() {
                try checkSegmentValue(
                    item, name: name, path: path.appending(key: member).appending(index: index), isSystem: isSystem)
            }
        case "ValueMap":
            let entries = inner.objectValue ?? [:]
            for key in entries.keys.sorted(by: JSONWriter.utf8Precedes) {
                guard let entry = entries[key] else { continue }
                try checkSegmentValue(
                    entry, name: key, path: path.appending(key: member).appending(key: key), isSystem: isSystem)
            }
        default:
            break
        }
    }

    /// Letters, digits, `-` and `_` (and `:` for segment attributes), at least one.
    static func isAttributeName(_ name: String, allowingColon: Bool) -> Bool {
        !name.isEmpty
            && name.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                    return true
                case UInt8(ascii: ":"):
                    return allowingColon
                default:
                    return false
                }
            }
    }
}
