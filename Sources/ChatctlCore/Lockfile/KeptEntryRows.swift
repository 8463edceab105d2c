/// The entries of a lockfile read for `plan` (``LockfileDecoder`` with the file held open),
/// kept in that file: for each, in one row, the fields every profile's plan reads (digest,
/// status, generation, token, whether it has members) and where it lies in the file; every
/// other field is read back from the file when asked (``LockEntry``'s kept-in-file box).
/// 64 bytes an entry, where a box of its own was 128 and its reference 8 more: 7.2 MB less
/// at 100,000 entries while nothing has looked them up, which is when a plan's memory peaks
/// (validation's last rules, issue 15). A lookup makes a box of its own (32 bytes, the
/// allocator's 48), which the planner keeps for each profile's entry while it plans, so
/// there the saving is some 24 bytes an entry; and two lookups of one entry are two boxes,
/// compared by their fields (read back from the file), not their identity.
///
/// A token chatctl did not make for the entry (chosen by hand, made for another name or for
/// an older generation of the entry) is kept beside the rows; an entry a row cannot hold (a
/// digest in another form than chatctl writes, a generation beyond 31 bits, an entry of
/// 64 KiB or more or starting beyond the file's first terabyte, members not kept in the
/// file) is kept whole. Built by the decoder (``append(_:named:range:)``), then never
/// changed: a change to an entry makes it a held one.
final class KeptEntryRows: @unchecked Sendable {
    // @unchecked: appended to only while the decoder builds it, before any other thread
    // can see it; read only afterwards. The file serialises its own reads.

    /// One entry's fields and place. Laid out in 62 bytes: a stride of 64. The token is
    /// the one chatctl made for the entry's name and generation; the entry starts within
    /// the first terabyte of the file and is shorter than 64 KiB (a whole entry otherwise).
    struct Row {
        var digest: (UInt64, UInt64, UInt64, UInt64)
        var tokenHigh: UInt64
        var tokenLow: UInt32
        /// The low 32 bits of the entry's first byte's offset in the file; ``startHigh`` the next 8.
        var startLow: UInt32
        var generation: Int32
        /// The entry's object, `{` to `}`, in bytes.
        var length: UInt16
        /// The `members` object's place, from ``start``; a length of 0 when it has none.
        var membersOffset: UInt16
        var membersLength: UInt16
        var status: LockEntry.Status
        var startHigh: UInt8
        var digestPrefixed: Bool
        /// Whether the token is kept beside the rows (``KeptEntryRows/tokensAside``), not in
        /// the token's two fields.
        var tokenAside: Bool

        /// The entry's first byte (`{`), as an offset in the file.
        var start: Int { Int(startHigh) << 32 | Int(startLow) }

        /// The entry's object, `{` to `}`, as offsets in the file.
        var range: Range<Int> { start..<(start + Int(length)) }

        /// Where the `members` object lies in the file, when the entry has one.
        var membersRange: Range<Int>? {
            guard membersLength > 0 else { return nil }
            let from = start + Int(membersOffset)
            return from..<(from + Int(membersLength))
        }

        var storedDigest: HexDigestText { HexDigestText(words: digest, prefixed: digestPrefixed) }
    }

    let file: LockfileMembersFile
    /// The entries' names, in the order of their rows (each row's token names its entry).
    private(set) var names: [String] = []
    private(set) var rows: [Row] = []
    /// The tokens not made for their entry, by position.
    private var tokensAside: [Int: ClientTokenText] = [:]
    /// The entries kept whole, by position.
    private var whole: [Int: LockEntry] = [:]

    init(file: LockfileMembersFile) {
        self.file = file
    }

    var count: Int { names.count }

    /// Whether any entry is a row (not every one kept whole): only then does an entry read
    /// back from ``file``.
    var hasRows: Bool { whole.count < names.count }

    func reserveCapacity(_ capacity: Int) {
        names.reserveCapacity(capacity)
        rows.reserveCapacity(capacity)
    }

    /// Adds `entry` of the profile `name`, as the decoder read it from `range` of ``file``:
    /// as a row when it can be one, else whole.
    func append(_ entry: LockEntry, named name: String, range: Range<Int>) {
        if let row = Self.row(of: entry, named: name, range: range, file: file) {
            if row.tokenAside { tokensAside[names.count] = entry.storedClientToken }
            rows.append(row)
        } else {
            whole[names.count] = entry
            // A row in its place, never read: positions stay those of the names.
            rows.append(Row(
                digest: (0, 0, 0, 0), tokenHigh: 0, tokenLow: 0, startLow: 0, generation: 0, length: 0, membersOffset: 0,
                membersLength: 0, status: .pending, startHigh: 0, digestPrefixed: false, tokenAside: false))
        }
        names.append(name)
    }

    /// The entry at `position`: the one kept whole, or one that reads its row.
    func entry(at position: Int) -> LockEntry {
        // Most lockfiles have no entry kept whole: no hashing for each lookup then.
        if !whole.isEmpty, let entry = whole[position] { return entry }
        return LockEntry(keptAt: position, in: self)
    }

    /// The token of the entry at `position`, which has a row.
    func clientToken(at position: Int) -> ClientTokenText {
        let row = rows[position]
        if row.tokenAside, let token = tokensAside[position] { return token }
        return ClientTokenText(madeFor: names[position], high: row.tokenHigh, low: row.tokenLow, generation: UInt32(row.generation))
    }

    /// The same entries in the order `order` gives (positions into this one).
    func reordered(_ order: [Int]) -> KeptEntryRows {
        let reordered = KeptEntryRows(file: file)
        reordered.names = order.map { names[$0] }
        reordered.rows = order.map { rows[$0] }
        for (position, old) in order.enumerated() {
            if let entry = whole[old] { reordered.whole[position] = entry }
            if let token = tokensAside[old] { reordered.tokensAside[position] = token }
        }
        return reordered
    }

    /// `entry`'s row, or `nil` when a row cannot hold it.
    private static func row(of entry: LockEntry, named name: String, range: Range<Int>, file: LockfileMembersFile) -> Row? {
        guard let length = UInt16(exactly: range.count), let startHigh = UInt8(exactly: range.lowerBound >> 32),
              let generation = Int32(exactly: entry.generation), generation >= 0, let digest = entry.storedDigest.words
        else { return nil }
        // A token made for an older generation of the entry is kept aside, like one chosen
        // by hand: the row holds only the entry's own generation.
        let token = entry.storedClientToken.madeParts(naming: name).flatMap { $0.generation == UInt32(generation) ? $0 : nil }
        var membersOffset: UInt16 = 0
        var membersLength: UInt16 = 0
        switch entry.memberStorage {
        case nil:
            break
        case .inFile(let membersFile, let members)?:
            guard membersFile === file, range.contains(members.lowerBound), members.upperBound <= range.upperBound,
                  !members.isEmpty else { return nil }
            // Within the entry, which is shorter than 64 KiB.
            membersOffset = UInt16(members.lowerBound - range.lowerBound)
            membersLength = UInt16(members.count)
        default:
            return nil
        }
        return Row(
            digest: (digest.0, digest.1, digest.2, digest.3), tokenHigh: token?.high ?? 0, tokenLow: token?.low ?? 0,
            startLow: UInt32(truncatingIfNeeded: range.lowerBound), generation: generation, length: length,
            membersOffset: membersOffset, membersLength: membersLength, status: entry.status, startHigh: startHigh,
            digestPrefixed: digest.prefixed, tokenAside: token == nil)
    }
}
