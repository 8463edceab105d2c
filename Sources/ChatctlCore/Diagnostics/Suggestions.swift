/// "Did you mean" suggestions: the closest candidate by edit distance.
public enum Suggestions {
    /// The candidate closest to `word`, when it is close enough to be a likely typo
    /// (distance at most a third of the longer word, and at least 1 allowed).
    public static func closest(to word: String, among candidates: [String]) -> String? {
        let lowered = Array(word.lowercased().unicodeScalars)
        // Long words are never typos of field names: bounded work per word, whatever it is.
        guard lowered.count <= maxWordLength else { return nil }
        var best: (candidate: String, distance: Int)?
        for candidate in candidates {
            let other = Array(candidate.lowercased().unicodeScalars)
            // The distance is at least the difference in length: skip what cannot be close.
            let allowed = max(1, max(lowered.count, other.count) / 3)
            guard abs(lowered.count - other.count) <= allowed else { continue }
            let distance = editDistance(lowered, other)
            if distance < (best?.distance ?? Int.max) { best = (candidate, distance) }
        }
        guard let best else { return nil }
        let allowed = max(1, max(lowered.count, best.candidate.unicodeScalars.count) / 3)
        return best.distance <= allowed ? best.candidate : nil
    }

    /// Words longer than this get no suggestion.
    static let maxWordLength = 64

    /// Levenshtein distance with adjacent transpositions counted as one edit.
    static func editDistance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        // Long keys are never typos of short field names; keep the work bounded.
        if a.count > 64 || b.count > 64 { return max(a.count, b.count) }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    current[j] = min(current[j], previous2[j - 2] + 1)
                }
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
