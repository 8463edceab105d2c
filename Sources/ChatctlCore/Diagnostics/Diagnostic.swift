/// One problem found in the input or the environment, ready to be printed.
///
/// Messages start in lowercase and carry no trailing period. `path` is the field path
/// inside the document (`spec.duration`), `code` a stable identifier documented in
/// docs/validation.md (`schema.minimum`, `yaml.syntax`, `ref.cycle`).
public struct Diagnostic: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable, Comparable {
        case error
        case warning

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .error && rhs == .warning
        }
    }

    public var severity: Severity
    /// Where the problem is; `nil` for problems of the environment (no such file, …).
    public var location: SourceLocation?
    public var code: String
    /// The field path, when the problem is in a document's field.
    public var path: String?
    public var message: String
    /// A line telling how to fix it, when there is something useful to say.
    public var hint: String?

    public init(
        severity: Severity = .error, location: SourceLocation?, code: String,
        path: String? = nil, message: String, hint: String? = nil
    ) {
        self.severity = severity
        self.location = location
        self.code = code
        self.path = path
        self.message = message
        self.hint = hint
    }

    /// `message` prefixed with the field path, as printed: `spec.duration: must be …`.
    public var text: String {
        if let path, !path.isEmpty { "\(path): \(message)" } else { message }
    }
}

extension Diagnostic {
    /// Sorts diagnostics for printing: by file and position, sourceless ones first, and
    /// removes exact repeats (a project default that is wrong is checked once per profile
    /// it is merged into, but reported once).
    public static func sortedAndUnique(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        diagnostics.sortedUnique { lhs, rhs in
            switch (lhs.location, rhs.location) {
            case (nil, nil): return (lhs.message, lhs.code) < (rhs.message, rhs.code)
            case (nil, _): return true
            case (_, nil): return false
            case (let l?, let r?):
                if l != r { return l < r }
                return (lhs.code, lhs.path ?? "", lhs.message) < (rhs.code, rhs.path ?? "", rhs.message)
            }
        }
    }
}

extension Array where Element: Equatable {
    /// The elements sorted (stably) by `precedes`, each repeat after its first dropped.
    ///
    /// Finds repeats among neighbours that `precedes` cannot tell apart instead of hashing
    /// every element (each a dozen strings): 100,000 diagnostics sort in a fraction of
    /// the time. The sort is stable, so the first of equal elements is the one kept.
    func sortedUnique(by precedes: (Element, Element) -> Bool) -> [Element] {
        let order = sorted(by: precedes)
        var result: [Element] = []
        result.reserveCapacity(count)
        var runStart = 0
        for element in order {
            if let last = result.last, !precedes(last, element) {
                // Same place in the order as the run so far: a repeat only if equal to one of it.
                if result[runStart...].contains(element) { continue }
            } else {
                runStart = result.count
            }
            result.append(element)
        }
        return result
    }
}
