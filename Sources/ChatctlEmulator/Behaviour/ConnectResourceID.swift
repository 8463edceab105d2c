/// Instance and contact-flow identifiers as requests write them: a bare id, or an ARN
/// `arn:<partition>:connect:<region>:<account>:instance/<id>[/contact-flow/<flow-id>]`.
///
/// A bare id is well-formed when it has 1 to 256 ASCII letters, digits, `-` or `_` (Connect
/// ids are UUIDs); a value that starts with `arn:` is always read as an ARN (docs/profiles.md, "spec").
enum ConnectResourceID {
    /// An instance named by a request or by `--instance`.
    struct Instance: Sendable, Hashable {
        /// The bare instance id.
        var id: String
        /// The region of an ARN; `nil` for a bare id.
        var region: String?
    }

    /// A contact flow named by a request or by `--flow`.
    struct Flow: Sendable, Hashable {
        /// The bare flow id.
        var id: String
        /// The instance of an ARN; `nil` for a bare id.
        var instanceID: String?
        /// The region of an ARN; `nil` for a bare id.
        var region: String?
    }

    /// Why a value is not a usable id; lowercase, no trailing period.
    struct Failure: Error, Sendable, Hashable {
        var reason: String
    }

    /// Parses an `InstanceId` value.
    static func parseInstance(_ text: String) -> Result<Instance, Failure> {
        guard text.hasPrefix("arn:") else {
            return isWellFormedID(text)
                ? .success(Instance(id: text, region: nil))
                : .failure(Failure(reason: "is not a well-formed instance id (letters, digits, '-' and '_')"))
        }
        switch parseARN(text) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let arn):
            guard arn.flowID == nil, arn.extra == nil else {
                return .failure(Failure(reason: "is an ARN of another resource type, not of an instance"))
            }
            return .success(Instance(id: arn.instanceID, region: arn.region))
        }
    }

    /// Parses a `ContactFlowId` value.
    static func parseFlow(_ text: String) -> Result<Flow, Failure> {
        guard text.hasPrefix("arn:") else {
            return isWellFormedID(text)
                ? .success(Flow(id: text, instanceID: nil, region: nil))
                : .failure(Failure(reason: "is not a well-formed contact flow id (letters, digits, '-' and '_')"))
        }
        switch parseARN(text) {
        case .failure(let failure):
            return .failure(failure)
        case .success(let arn):
            guard let flowID = arn.flowID else {
                return .failure(Failure(reason: "is an ARN of another resource type, not of a contact flow"))
            }
            return .success(Flow(id: flowID, instanceID: arn.instanceID, region: arn.region))
        }
    }

    /// Whether `text` is a well-formed bare id.
    static func isWellFormedID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 256
            && text.utf8.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                    return true
                default:
                    return false
                }
            }
    }

    /// Whether `text` is a well-formed ARN of any service:
    /// `arn:<partition>:<service>:<region>:<account>:<resource>` with a partition, a service
    /// and a resource (region and account may be empty, as for global resources).
    static func isWellFormedARN(_ text: String) -> Bool {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[1].isEmpty, !parts[2].isEmpty, !parts[5].isEmpty else {
            return false
        }
        return text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F }
    }

    private struct ParsedARN {
        var region: String
        var instanceID: String
        var flowID: String?
        var extra: String?
    }

    private static func parseARN(_ text: String) -> Result<ParsedARN, Failure> {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn", parts[1] == "aws" || parts[1].hasPrefix("aws-") else {
            return .failure(Failure(reason: "is not a well-formed ARN (arn:partition:connect:region:account:resource)"))
        }
        guard parts[2] == "connect" else {
            return .failure(Failure(reason: "is an ARN of the service \"\(parts[2])\", not of Amazon Connect"))
        }
        guard !parts[3].isEmpty else {
            return .failure(Failure(reason: "has no region"))
        }
        guard parts[4].count == 12, parts[4].utf8.allSatisfy({ (48...57).contains($0) }) else {
            return .failure(Failure(reason: "has an invalid account id (12 digits expected)"))
        }
        let segments = parts[5].split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard segments.count >= 2, segments[0] == "instance", isWellFormedID(segments[1]) else {
            return .failure(Failure(reason: "has no instance/<id> resource"))
        }
        var parsed = ParsedARN(region: parts[3], instanceID: segments[1])
        switch segments.count {
        case 2:
            break
        case 4 where segments[2] == "contact-flow" && isWellFormedID(segments[3]):
            parsed.flowID = segments[3]
        default:
            parsed.extra = segments.dropFirst(2).joined(separator: "/")
        }
        return .success(parsed)
    }
}
