/// Why no region or endpoint could be chosen. Messages are lowercase with no trailing period.
public enum EndpointResolutionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// No source named a region; `checked` lists the sources looked at, in order.
    case noRegion(checked: [String])
    /// A region that is not a valid host label (letters, digits, `-`).
    case invalidRegion(String, source: String)
    /// An endpoint URL that is not an `http` or `https` URL with a host.
    case invalidEndpointURL(String, source: String)
    /// A boolean setting that is neither `true` nor `false`.
    case invalidBoolean(String, source: String)
    /// Dual-stack endpoints requested in a partition that has none (the ISO partitions).
    case unsupportedVariant(variant: String, partition: String)

    /// The message.
    public var description: String {
        switch self {
        case .noRegion(let checked):
            return "no region configured: checked \(checked.joined(separator: ", "))"
        case .invalidRegion(let region, let source):
            return "\(source) names an invalid region \"\(region)\""
        case .invalidEndpointURL(let url, let source):
            return "\(source) is not an http or https URL with a host: \"\(url)\""
        case .invalidBoolean(let value, let source):
            return "\(source) must be true or false, not \"\(value)\""
        case .unsupportedVariant(let variant, let partition):
            return "the \(partition) partition has no \(variant) endpoints"
        }
    }
}
