public import ChatctlAWS
import ChatctlJSON

/// Builds the StartChatContact request a profile stands for, and its digest.
///
/// References (`persistence.from`, `relatedContact.from`) are resolved by a lookup of
/// the contact id a profile launched; for the digest they stay unresolved, so a
/// profile's digest depends only on what is written in the repository.
public enum LaunchRequest {
    /// The request for `profile`, without a ClientToken.
    /// - Parameter contactOf: the contact id launched by a profile name, or `nil` when not
    ///   known yet; unresolved references are written as `from:NAME`.
    public static func request(
        for profile: ChatLaunchProfile, contactOf: (String) -> String? = { _ in nil }
    ) -> StartChatContactRequest {
        var request = profile.request
        if let name = profile.unresolvedPersistenceSource, let contact = contactOf(name) {
            request.persistentChat?.sourceContactId = contact
        }
        if let name = profile.unresolvedRelatedContact, let contact = contactOf(name) {
            request.relatedContactId = contact
        }
        return request
    }

    /// What a launch needs of a profile's merged `spec`, worked out once by the validation
    /// worker (while the JSON is at hand) so that the JSON need not be kept.
    struct Facts {
        /// The request, references unresolved (`from:NAME`), without a ClientToken.
        var request: StartChatContactRequest
        var instanceID: String?
        /// `spec.region`, else an `instance` or `flow` ARN's region.
        var ownRegion: String?
        var clientToken: String?
        /// `persistence.from` when no literal `sourceContactId` is written.
        var unresolvedPersistenceSource: String?
        /// `relatedContact.from` when no literal `contactId` is written.
        var unresolvedRelatedContact: String?

        /// - Parameter shared: the values repeated across the load's profiles (instance ids,
        ///   segment attributes), each kept once.
        /// - Parameter arns: the `instance` and `flow` ARNs as ``ProfileRules`` parsed them
        ///   while validating this spec (a valid profile's ARNs always parse): not parsed again.
        init(
            spec: JSONValue, durationMinutes: Int?, contentTypes: [String], arns: ProfileRules.ParsedARNs,
            shared: SharedProfileValues
        ) {
            // A reference (`persistence`, `relatedContact`) names a contact literally, or the
            // profile whose contact it takes (`from`, unresolved here: `from:NAME`).
            func literal(_ value: JSONValue?) -> String? {
                value?["sourceContactId"]?.stringValue ?? value?["contactId"]?.stringValue
            }
            func unresolved(_ value: JSONValue?, literal: String?) -> String? {
                literal == nil ? value?["from"]?.stringValue : nil
            }
            // The spec's members read in one walk, each kept where it is used: a lookup by
            // key hashes it, and a profile sets a dozen of the fields looked for (issue 15).
            var instanceText: String?, flowText: String?, participant: JSONValue?, attributes: [String: JSONValue]?
            var initialMessage: JSONValue?, persistence: JSONValue?, relatedContact: JSONValue?
            var segments: [String: JSONValue]?, exit: [JSONValue]?, region: String?, token: String?
            for (key, value) in spec.objectValue ?? [:] {
                switch key {
                case "instance": instanceText = value.stringValue
                case "flow": flowText = value.stringValue
                case "participant": participant = value
                case "attributes": attributes = value.objectValue
                case "initialMessage": initialMessage = value
                case "persistence": persistence = value
                case "relatedContact": relatedContact = value
                case "segmentAttributes": segments = value.objectValue
                case "disconnectOnCustomerExit": exit = value.arrayValue
                case "region": region = value.stringValue
                case "clientToken": token = value.stringValue
                default: break
                }
            }
            // A valid profile's ARNs always parse as their field's kind (the rules report
            // anything else as an error, and no profile is built then).
            assert((instanceText?.hasPrefix("arn:") ?? false) == (arns.instance != nil), "instance ARN not handed on")
            assert((flowText?.hasPrefix("arn:") ?? false) == (arns.flow != nil), "flow ARN not handed on")
            // The participant's and the message's members walked the same way.
            var displayName: String?, responseMode: String?, customerId: String?
            for (key, value) in participant?.objectValue ?? [:] {
                switch key {
                case "displayName": displayName = value.stringValue
                case "responseMode": responseMode = value.stringValue
                case "customerId": customerId = value.stringValue
                default: break
                }
            }
            var messageType: String?, messageContent: String?
            for (key, value) in initialMessage?.objectValue ?? [:] {
                switch key {
                case "contentType": messageType = value.stringValue
                case "content": messageContent = value.stringValue
                default: break
                }
            }
            instanceID = instanceText.map { shared.string(bareID($0, parsed: arns.instance)) }
            var request = StartChatContactRequest(
                instanceId: instanceID ?? "",
                contactFlowId: bareID(flowText ?? "", parsed: arns.flow),
                participantDetails: .init(displayName: displayName ?? ""))
            if let attributes {
                // Built at its final size (`compactMapValues` grows its result from empty).
                var strings = [String: String](minimumCapacity: attributes.count)
                for (name, value) in attributes {
                    if let text = value.stringValue { strings[name] = text }
                }
                request.attributes = strings
            }
            if let mode = responseMode.flatMap(StartChatContactRequest.ResponseMode.init(rawValue:)) {
                request.participantConfiguration = .init(responseMode: mode)
            }
            if let customerId {
                request.customerId = Sensitive(customerId)
            }
            if let messageType, let messageContent {
                request.initialMessage = .init(contentType: messageType, content: messageContent)
            }
            request.chatDurationInMinutes = durationMinutes
            request.supportedMessagingContentTypes = contentTypes
            let persistenceLiteral = literal(persistence)
            unresolvedPersistenceSource = unresolved(persistence, literal: persistenceLiteral)
            if let persistence {
                request.persistentChat = .init(
                    rehydrationType: persistence["rehydration"]?.stringValue.flatMap(StartChatContactRequest.RehydrationType.init(rawValue:)),
                    sourceContactId: persistenceLiteral ?? unresolvedPersistenceSource.map { "from:\($0)" })
            }
            let relatedLiteral = literal(relatedContact)
            unresolvedRelatedContact = unresolved(relatedContact, literal: relatedLiteral)
            request.relatedContactId = relatedLiteral ?? unresolvedRelatedContact.map { "from:\($0)" }
            if let segments {
                request.segmentAttributes = shared.segmentAttributes(segments.mapValues(segmentValue))
            }
            if let exit {
                request.disconnectOnCustomerExit = exit.compactMap {
                    $0.stringValue.flatMap(StartChatContactRequest.DisconnectOnCustomerExitParticipantType.init(rawValue:))
                }
            }
            self.request = request
            ownRegion = region ?? arns.instance?.region ?? arns.flow?.region
            clientToken = token
        }
    }

    /// A segment attribute value; a plain string is shorthand for `valueString`.
    private static func segmentValue(_ value: JSONValue) -> SegmentAttributeValue {
        if let text = value.stringValue { return .string(text) }
        if let text = value["valueString"]?.stringValue { return .string(text) }
        // The schema's `integer` takes `3.0` too (JSON Schema counts a number with no
        // fraction as an integer), and YAML reads it as a float: sent as the integer it is.
        switch value["valueInteger"] {
        case .integer(let number)?: return .integer(number)
        case .double(let number)?: if let whole = Int(exactly: number) { return .integer(whole) }
        default: break
        }
        if let text = value["valueArn"]?.stringValue { return .arn(text) }
        if let map = value["valueMap"]?.objectValue { return .map(map.mapValues(segmentValue)) }
        if let list = value["valueList"]?.arrayValue { return .list(list.map(segmentValue)) }
        return .map([:])
    }

    /// The bare instance id of the profile (an instance ARN's id, or the id as written).
    public static func instanceID(of profile: ChatLaunchProfile) -> String? {
        profile.instanceID
    }

    /// The id part of an instance or contact-flow ARN, or `text` itself; `parsed` is
    /// `text` as an ARN, when it is one.
    private static func bareID(_ text: String, parsed: ConnectARN?) -> String {
        guard let arn = parsed else { return text }
        switch arn.resource {
        case .contactFlow(let id): return id
        default: return arn.instanceID
        }
    }

    /// The region the repository declares for a profile: `spec.region`, else an ARN's
    /// region, else the project's. The environment's region is not part of it, so the
    /// digest does not change with the machine apply runs on.
    public static func declaredRegion(of profile: ChatLaunchProfile, projectRegion: String?) -> String? {
        profile.ownRegion ?? projectRegion
    }

    /// `sha256:<hex>` of the canonical request: the declared region and the request body
    /// (sorted keys, compact, ClientToken absent, references unresolved). Digest format 1.
    public static func digest(of profile: ChatLaunchProfile, projectRegion: String?) -> String {
        storedDigest(of: profile, projectRegion: projectRegion).text
    }

    /// ``digest(of:projectRegion:)`` as its 32 bytes, which the planner takes: it compares
    /// them with the entry's bytes and keeps them without a `String` per profile.
    static func storedDigest(of profile: ChatLaunchProfile, projectRegion: String?) -> HexDigestText {
        storedDigest(of: profile.request, region: declaredRegion(of: profile, projectRegion: projectRegion))
    }

    /// The digest of an unresolved request (see ``digest(of:projectRegion:)``).
    static func digest(of request: StartChatContactRequest, region: String?) -> String {
        storedDigest(of: request, region: region).text
    }

    /// ``digest(of:region:)`` as its 32 bytes.
    static func storedDigest(of request: StartChatContactRequest, region: String?) -> HexDigestText {
        // One buffer: the header, then the body written straight into it (no JSON value,
        // no second array for the concatenation).
        var canonical: [UInt8] = []
        canonical.reserveCapacity(640)
        canonical.append(contentsOf: "chatctl-digest-1\n".utf8)
        if let region { canonical.append(contentsOf: region.utf8) }
        canonical.append(0x0A)
        request.appendJSONBody(to: &canonical)
        return HexDigestText(sha256: SHA256.digest(canonical))
    }

    /// The ClientToken for a (profile, digest, generation), first launched by the apply
    /// that writes lockfile serial `serial`. The same inputs always give the same token, and
    /// a resume reuses the token its entry recorded, so Amazon Connect recognises a resent
    /// launch as the same one. The serial keeps a profile that was removed (its entry
    /// forgotten, its generations restarting at 1) and later restored from getting a token
    /// Connect still remembers (tokens are valid for 7 days) and the old chat back.
    public static func clientToken(profile: String, digest: String, generation: Int, serial: Int) -> String {
        let hash = SHA256.hexDigest("\(profile)\n\(digest)\n\(generation)\n\(serial)")
        return "chatctl-\(profile)-g\(generation)-\(hash.prefix(24))"
    }
}
