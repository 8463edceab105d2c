import ChatctlJSON
/// The rules of docs/profiles.md ("Rules between fields") that a JSON Schema cannot express, checked after the
/// schema on each merged profile: required fields after defaults, the duration range of
/// the string form, the attribute byte total, ARNs, and the initial message's type.
///
/// A field the schema already rejected is not checked again, so each problem is
/// reported once.
struct ProfileRules {
    let document: YAMLNode
    let spec: JSONValue
    /// Places the schema already reported problems at.
    let violations: [SchemaViolation]

    private static let specPointer = JSONPointer([.key("spec")])

    /// True for a schema violation these rules report better themselves: an ARN in
    /// `instance` or `flow` (the rules say exactly what is wrong with it) and an integer
    /// `duration` out of range (the same sentence and code as `30m`). The schema keeps
    /// these constraints for editors; chatctl reports them once, from here.
    static func supersedes(_ violation: SchemaViolation, in document: JSONValue) -> Bool {
        let path = violation.instancePath.components
        guard path.count == 2, path[0] == .key("spec"), case .key(let field) = path[1] else { return false }
        switch (field, document["spec"]?[field]) {
        case ("instance", .string(let text)?), ("flow", .string(let text)?):
            return text.hasPrefix("arn:") && !ARNRule.isAcceptable(text, field: field)
        case ("duration", .integer?):
            return violation.keyword == "minimum" || violation.keyword == "maximum"
        default:
            return false
        }
    }

    /// The `instance` and `flow` ARNs the rules parsed, each when it is the ARN of its
    /// field's kind of resource: what building the launch request takes, so that a valid
    /// profile's ARNs are parsed once.
    struct ParsedARNs {
        var instance: ConnectARN?
        var flow: ConnectARN?
    }

    /// What the rules find, and the ARNs parsed on the way.
    func checked() -> (diagnostics: [Diagnostic], arns: ParsedARNs) {
        // Only a `spec` that is not a mapping stops the rules; problems inside it
        // are skipped field by field.
        guard spec.objectValue != nil else { return ([], ParsedARNs()) }
        var arns = ParsedARNs()
        let diagnostics = requiredAfterDefaults() + duration() + attributesSize() + self.arns(parsed: &arns)
            + initialMessageType() + VerifyRules(document: document, spec: spec, isRejected: isRejected).check()
        return (diagnostics, arns)
    }

    private func pointer(_ keys: String...) -> JSONPointer {
        Self.pointer(keys)
    }

    private static func pointer(_ keys: [String]) -> JSONPointer {
        JSONPointer([.key("spec")] + keys.map(JSONPathComponent.key))
    }

    // The pointers every profile's rules use, built once (not three arrays per rule and
    // profile, which showed in the profile of `chatctl validate` at 100,000 profiles).
    private static let durationPointer = pointer(["duration"])
    private static let attributesPointer = pointer(["attributes"])
    private static let instancePointer = pointer(["instance"])
    private static let flowPointer = pointer(["flow"])
    private static let regionPointer = pointer(["region"])
    private static let initialMessageTypePointer = pointer(["initialMessage", "contentType"])
    private static let participantPointer = pointer(["participant"])
    private static let requiredAfterDefaultsKeys = ["instance", "flow", "participant"]

    /// True when the schema reported a problem at or inside `pointer`, or found a value
    /// of the wrong type on the way to it.
    func isRejected(_ pointer: JSONPointer) -> Bool {
        violations.contains { violation in
            let path = violation.instancePath.components
            if path.starts(with: pointer.components) { return true }
            if case .type = violation.kind, pointer.components.starts(with: path) { return true }
            return false
        }
    }

    private func diagnostic(_ pointer: JSONPointer, code: String, _ message: String, hint: String? = nil) -> Diagnostic {
        Diagnostic(location: document.location(of: pointer), code: code, path: pointer.fieldPath, message: message, hint: hint)
    }

    // MARK: Rules

    private func requiredAfterDefaults() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for key in Self.requiredAfterDefaultsKeys where spec[key] == nil {
            problems.append(Diagnostic(
                location: document.location(of: Self.specPointer), code: "schema.required",
                path: pointer(key).fieldPath, message: "is required",
                hint: "set it in the profile or in the project file's spec.defaults"))
        }
        if let participant = spec["participant"], participant.objectValue != nil, participant["displayName"] == nil,
           !isRejected(Self.participantPointer) {
            problems.append(Diagnostic(
                location: document.location(of: pointer("participant")), code: "schema.required",
                path: pointer("participant", "displayName").fieldPath, message: "is required",
                hint: "set it in the profile or in the project file's spec.defaults"))
        }
        return problems
    }

    private func duration() -> [Diagnostic] {
        let at = Self.durationPointer
        guard !isRejected(at) else { return [] }
        switch spec["duration"] {
        case .integer(let minutes)?:
            return ChatDuration.rangeMessage("\(minutes)", minutes: minutes).map { [diagnostic(at, code: "duration.range", $0)] } ?? []
        case .string(let text)?:
            guard let minutes = ChatDuration.minutes(text) else {
                return [diagnostic(at, code: "duration.format",
                                   "\(JSONPointer.quoted(text)) is not a duration",
                                   hint: "write minutes (90), or parts with units d, h, m in that order: 90m, 1h30m, 25h, 7d")]
            }
            return ChatDuration.rangeMessage(text, minutes: minutes).map { [diagnostic(at, code: "duration.range", $0)] } ?? []
        default:
            return []
        }
    }

    /// Amazon Connect limits all attribute keys and values together to 32,768 UTF-8 bytes.
    private func attributesSize() -> [Diagnostic] {
        let at = Self.attributesPointer
        guard let attributes = spec["attributes"]?.objectValue, !isRejected(at) else { return [] }
        let limit = 32_768
        var total = 0
        for (key, value) in attributes {
            total += key.utf8.count + (value.stringValue?.utf8.count ?? 0)
        }
        guard total > limit else { return [] }
        return [diagnostic(at, code: "attributes.size",
                           "attribute keys and values together take \(total) UTF-8 bytes, more than the limit of \(limit)",
                           hint: "Amazon Connect refuses larger attribute sets; move bulky data elsewhere")]
    }

    private func arns(parsed: inout ParsedARNs) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var instanceID: String?
        var instanceARN: ConnectARN?
        let instanceAt = Self.instancePointer
        if let text = spec["instance"]?.stringValue, !isRejected(instanceAt) {
            if text.hasPrefix("arn:") {
                switch ConnectARN.parse(text) {
                case .failure(let failure):
                    problems.append(diagnostic(instanceAt, code: "arn.format", failure.reason))
                case .success(let arn):
                    if arn.resource == .instance {
                        instanceARN = arn
                        instanceID = arn.instanceID
                    } else {
                        problems.append(diagnostic(instanceAt, code: "arn.resource-type",
                                                   "is the ARN of \(arn.resource.phrase), not of an instance",
                                                   hint: "use arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE-ID or the bare instance id"))
                    }
                }
            } else {
                instanceID = text
            }
        }
        let flowAt = Self.flowPointer
        var flowARN: ConnectARN?
        if let text = spec["flow"]?.stringValue, !isRejected(flowAt), text.hasPrefix("arn:") {
            switch ConnectARN.parse(text) {
            case .failure(let failure):
                problems.append(diagnostic(flowAt, code: "arn.format", failure.reason))
            case .success(let arn):
                if case .contactFlow = arn.resource {
                    flowARN = arn
                    if let instanceID, arn.instanceID != instanceID {
                        problems.append(diagnostic(flowAt, code: "arn.instance-mismatch",
                                                   "the flow belongs to instance \(arn.instanceID), not to instance \(instanceID)",
                                                   hint: "a chat starts on the instance that owns its flow"))
                    } else if let instanceARN, instanceARN.region != arn.region || instanceARN.account != arn.account {
                        problems.append(diagnostic(flowAt, code: "arn.instance-mismatch",
                                                   "the flow's ARN names region \(arn.region) and account \(arn.account), the instance's \(instanceARN.region) and \(instanceARN.account)"))
                    }
                } else {
                    problems.append(diagnostic(flowAt, code: "arn.resource-type",
                                               "is the ARN of \(arn.resource.phrase), not of a contact flow",
                                               hint: "use arn:aws:connect:REGION:ACCOUNT:instance/INSTANCE-ID/contact-flow/FLOW-ID or the bare flow id"))
                }
            }
        }
        let regionAt = Self.regionPointer
        if let region = spec["region"]?.stringValue, !isRejected(regionAt) {
            for arn in [instanceARN, flowARN].compactMap({ $0 }) where arn.region != region {
                problems.append(diagnostic(regionAt, code: "arn.region-mismatch",
                                           "region \(region) differs from the region \(arn.region) in the ARN",
                                           hint: "remove spec.region, or make it match the ARN"))
                break
            }
        }
        parsed = ParsedARNs(instance: instanceARN, flow: flowARN)
        return problems
    }

    private func initialMessageType() -> [Diagnostic] {
        let at = Self.initialMessageTypePointer
        // A list with its own problems (a repeat, an unknown type) is still a list to
        // look in; only a contentTypes that is not a list at all stops this check.
        guard let type = spec["initialMessage"]?["contentType"]?.stringValue, !isRejected(at),
              let listed = spec["contentTypes"]?.arrayValue?.compactMap(\.stringValue) else { return [] }
        guard !listed.contains(type) else { return [] }
        return [diagnostic(at, code: "content-type.not-listed",
                           "\(type) is not in contentTypes (\(listed.joined(separator: ", ")))",
                           hint: "add \(type) to spec.contentTypes, or send the initial message as one of those")]
    }
}
