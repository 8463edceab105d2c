/// A lock entry's client token, kept compact when it is one chatctl made
/// (``LaunchRequest/clientToken(profile:digest:generation:serial:)``: `chatctl-`, the
/// profile's name, `-g`, the generation, `-` and 24 lowercase hex digits). It is then the
/// name (the entry's own key, sharing its storage, or short enough to be held inline),
/// the generation and the digits' 12 bytes: 33 bytes in the entry instead of a `String` of
/// 16 and its 80 or 96 on the heap, for each of 100,000 entries. Any other token (chosen by
/// hand with `spec.clientToken`, or written by hand) is kept as it is; either way it reads
/// back as exactly the text it was given.
struct ClientTokenText: Sendable, Equatable {
    private enum Storage: Sendable, Equatable {
        /// The digits' bytes are big-endian: the first 16 digits in `high`, the last 8 in `low`.
        case made(name: String, high: UInt64, low: UInt32, generation: UInt32)
        case text(String)
    }

    // One text has one storage (a made token is parsed the one way below), so the derived
    // equality of the storage is that of the texts.
    private let storage: Storage

    private static let prefix = Array("chatctl-".utf8)
    /// The hex digits at the token's end.
    private static let digitCount = 24

    /// `text`, compact when chatctl made it.
    /// - Parameter name: the entry's name, whose `String` the compact form keeps when the
    ///   token names it (so a long name is not held twice).
    init(_ text: String, name: String? = nil) {
        storage = Self.made(text, name: name) ?? .text(text)
    }

    /// Whether the token is held as the parts of one chatctl made.
    var isCompact: Bool {
        if case .made = storage { return true }
        return false
    }

    /// The digits and generation of a token chatctl made for the profile `name`; `nil` for
    /// any other token: what a row of ``KeptEntryRows`` holds (its name is the entry's).
    func madeParts(naming name: String) -> (high: UInt64, low: UInt32, generation: UInt32)? {
        guard case .made(let madeName, let high, let low, let generation) = storage, madeName.utf8.elementsEqual(name.utf8) else {
            return nil
        }
        return (high, low, generation)
    }

    /// The token chatctl made for the profile `name` with these parts (``madeParts(naming:)``).
    init(madeFor name: String, high: UInt64, low: UInt32, generation: UInt32) {
        storage = .made(name: name, high: high, low: low, generation: generation)
    }

    /// The parts of a token chatctl made, read from its end: the digits, `-`, the
    /// generation's digits (written without a leading zero, at most `UInt32.max`), `-g`;
    /// the name is what lies between `chatctl-` and that `-g`, and is not empty.
    private static func made(_ text: String, name hint: String?) -> Storage? {
        let bytes = Array(text.utf8)
        let count = bytes.count
        guard count >= prefix.count + 1 + 2 + 1 + 1 + digitCount, bytes.starts(with: prefix) else { return nil }
        var high: UInt64 = 0
        var low: UInt32 = 0
        for (offset, byte) in bytes[(count - digitCount)...].enumerated() {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            if offset < 16 { high = high << 4 | UInt64(nibble) } else { low = low << 4 | UInt32(nibble) }
        }
        var index = count - digitCount - 1
        guard bytes[index] == UInt8(ascii: "-") else { return nil }
        let generationEnd = index
        while index > prefix.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index - 1]) { index -= 1 }
        let digits = bytes[index..<generationEnd]
        guard (1...10).contains(digits.count), digits.count == 1 || digits.first != UInt8(ascii: "0") else { return nil }
        let generation = digits.reduce(UInt64(0)) { $0 * 10 + UInt64($1 - UInt8(ascii: "0")) }
        guard generation <= UInt64(UInt32.max) else { return nil }
        // `-g` before the digits, and a name of at least one byte before that.
        guard index - 2 > prefix.count, bytes[index - 1] == UInt8(ascii: "g"), bytes[index - 2] == UInt8(ascii: "-") else {
            return nil
        }
        let nameBytes = bytes[prefix.count..<(index - 2)]
        // Cut at ASCII bytes of valid UTF-8: the name is valid UTF-8 too.
        let name = hint.flatMap { $0.utf8.elementsEqual(nameBytes) ? $0 : nil } ?? String(decoding: nameBytes, as: UTF8.self)
        return .made(name: name, high: high, low: low, generation: UInt32(generation))
    }

    /// The token, as it was given.
    var text: String {
        switch storage {
        case .text(let text): return text
        case .made(let name, let high, let low, let generation):
            var bytes = Self.prefix
            bytes.reserveCapacity(Self.prefix.count + name.utf8.count + 13 + Self.digitCount)
            bytes.append(contentsOf: name.utf8)
            bytes.append(contentsOf: "-g".utf8)
            // A generation's decimal text is a short string, held inline: nothing on the heap.
            bytes.append(contentsOf: String(generation).utf8)
            bytes.append(UInt8(ascii: "-"))
            for digit in 0..<16 { bytes.append(Self.hexDigit(UInt8(truncatingIfNeeded: high >> UInt64(60 - 4 * digit)) & 0x0F)) }
            for digit in 0..<8 { bytes.append(Self.hexDigit(UInt8(truncatingIfNeeded: low >> UInt32(28 - 4 * digit)) & 0x0F)) }
            return String(decoding: bytes, as: UTF8.self)
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
