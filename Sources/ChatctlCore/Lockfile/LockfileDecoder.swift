import Foundation

/// The typed reading of lockfile bytes: one pass from bytes to ``Lockfile``, checking the
/// rules of the lockfile schema (schemas/lockfile.schema.json) field by field, without a
/// generic JSON tree of the document. An entry's per-member records are checked and kept
/// as their compact bytes, decoded only when something reads them (a plan of an entry whose
/// digest changed, or a write).
///
/// It only ever accepts: anything it does not take as a valid lockfile (bad syntax, a
/// schema violation, a duplicate key, a number beyond `Int`, an escape it does not
/// expect) makes it answer `nil`, and ``LockfileCodec`` then reads the bytes the generic
/// way (parser, schema), which names the exact problem and position. So its errors are
/// the generic path's by construction, and the only promise it must keep on its own is
/// never to accept what the schema refuses (LockfileDecoderTests checks both paths agree).
struct LockfileDecoder {
    /// Why the typed pass gave up: the generic path decides.
    private struct Unrecognised: Error {}

    /// The window of the input being read: the bytes from ``pin`` (or from ``index``) on.
    private var bytes: [UInt8]
    /// The next byte to read, in ``bytes``.
    private var index = 0
    /// Where ``bytes`` starts in the whole input.
    private var base = 0
    /// An offset in the whole input from which bytes are kept when the window moves on:
    /// the start of the string or the `members` object being read.
    private var pin: Int?
    /// Appends the input's next piece to the window it is given; false at the input's end
    /// (or when it cannot be read: the typed pass then gives up, and the generic path
    /// reports the problem).
    private var readMore: ((inout [UInt8]) -> Bool)?
    /// When set, an entry's `members` are kept as where they lie in this file (which the
    /// input is, from its first byte), not as their bytes.
    private var membersFile: LockfileMembersFile?
    /// Where a `members` object checked before lies (an entry read back from
    /// ``membersFile``): skipped, not scanned again.
    private var checkedMembers: Range<Int>?
    /// The input's size in bytes, when known: the entries' dictionary is made at the size
    /// it suggests (``expectedEntryCount(inputSize:)``) instead of growing by doubling.
    private var inputSize: Int?

    /// The last instance id and region read, shared by the entries that repeat them.
    private var lastInstance: String?
    private var lastRegion: String?

    /// Deeper than this, a member's value is left to the generic parser (and its limit).
    private static let maximumDepth = 64

    /// Bytes read from a file at a time: the window stays near this size, however large the
    /// lockfile. 64 KiB, below the allocator's threshold for a mapping of its own: pieces of
    /// 1 MiB, each a mapping freed after one use, raised that threshold and then stayed in
    /// the reading thread's heap (0.8 MB more of a plan's peak at 100,000 entries, issue 15).
    static let pieceSize = 1 << 16

    private init(_ bytes: [UInt8], readMore: ((inout [UInt8]) -> Bool)?) {
        self.bytes = bytes
        self.readMore = readMore
    }

    /// The lockfile `bytes` hold, or `nil` when the typed pass does not accept them.
    static func decode(_ bytes: [UInt8]) -> Lockfile? {
        var decoder = LockfileDecoder(bytes, readMore: nil)
        decoder.inputSize = bytes.count
        return decoder.decodeAll()
    }

    /// The lockfile `file` holds, read a piece at a time (never whole), or `nil` when the
    /// typed pass does not accept it or it cannot be read to its end.
    /// - Parameter pieceSize: bytes read at a time (tests make it small, so that every
    ///   token is split across pieces somewhere).
    /// - Parameter membersFile: the same file, from its start: each entry's `members` is
    ///   then checked and kept only as its place in the file
    ///   (``LockEntry/MemberStorage/inFile(_:range:)``), for a reader that never writes.
    /// - Parameter size: the file's size in bytes, when known (it only sizes the entries'
    ///   dictionary: a wrong one costs memory or time, never a different result).
    static func decode(
        reading file: FileHandle, size: Int? = nil, pieceSize: Int = pieceSize, membersFile: LockfileMembersFile? = nil
    ) -> Lockfile? {
        // Read straight into the window, a piece in one system call
        // (``InputFileSystem/append(readingUpTo:from:to:)``).
        let descriptor = file.fileDescriptor
        var decoder = LockfileDecoder([], readMore: { window in
            (InputFileSystem.append(readingUpTo: pieceSize, from: descriptor, to: &window) ?? 0) > 0
        })
        decoder.membersFile = membersFile
        decoder.inputSize = size
        return decoder.decodeAll()
    }

    /// The entry whose object lies at `range` of `file` (as a row of ``KeptEntryRows``
    /// recorded it), decoded again with its members kept in the file; `nil` when those bytes
    /// cannot be read, or are not one valid entry.
    /// - Parameter members: where the entry's `members` object lies, as checked when the
    ///   file was first read: it is not scanned again (most of an entry's bytes).
    static func entry(in file: LockfileMembersFile, at range: Range<Int>, members: Range<Int>? = nil) -> LockEntry? {
        guard let bytes = file.bytes(range) else { return nil }
        var decoder = LockfileDecoder(bytes, readMore: nil)
        // Offsets of the whole file, for the members' place.
        decoder.base = range.lowerBound
        decoder.membersFile = file
        decoder.checkedMembers = members
        guard let entry = try? decoder.entry(named: ""), decoder.index == bytes.count else { return nil }
        return entry
    }

    private mutating func decodeAll() -> Lockfile? {
        do {
            let lockfile = try document()
            skipWhitespace()
            return available() ? nil : lockfile
        } catch {
            return nil
        }
    }

    /// True when `count` bytes are there from ``index`` on, reading more of the input
    /// (and dropping what is read and not pinned) when the window is used up.
    @inline(__always)
    private mutating func available(_ count: Int = 1) -> Bool {
        // Inlined: it is asked before nearly every byte, and nearly always answers at once.
        index + count <= bytes.count || refill(toHold: count)
    }

    /// ``available(_:)`` when the window holds fewer than `count` bytes from ``index``.
    private mutating func refill(toHold count: Int) -> Bool {
        while index + count > bytes.count {
            guard let readMore else { return false }
            let keep = min((pin ?? (base + index)) - base, index)
            if keep > 0 {
                bytes.removeSubrange(0..<keep)
                index -= keep
                base += keep
            }
            guard readMore(&bytes) else { return false }
        }
        return true
    }

    /// The bytes from offset `start` of the whole input up to ``index``.
    private func bytes(from start: Int) -> ArraySlice<UInt8> { bytes[(start - base)..<index] }

    // MARK: The document

    private mutating func document() throws(Unrecognised) -> Lockfile {
        var lockfile = Lockfile()
        var version: Int?
        var serial: Int?
        var sawEntries = false
        var cursor = ObjectCursor()
        while let key = try nextKey(&cursor) {
            switch key {
            case "lockfileVersion":
                let number = try integer()
                guard (1...Lockfile.currentVersion).contains(number) else { throw Unrecognised() }
                version = number
            case "serial":
                let number = try integer()
                guard number >= 0 else { throw Unrecognised() }
                serial = number
            case "endpoint":
                lockfile.endpoint = try endpoint()
            case "inputs":
                lockfile.inputs = try inputs()
            case "memberSalt":
                let salt = try string()
                guard salt.utf8.count == 32, salt.utf8.allSatisfy(Self.isLowerHex) else { throw Unrecognised() }
                lockfile.memberSalt = salt
            case "entries":
                sawEntries = true
                let expectedCount = inputSize.map(Self.expectedEntryCount(inputSize:))
                // The entries' own store tells a repeated name: no second set of 100,000.
                var names = ObjectCursor(refusesRepeats: false)
                if let membersFile {
                    // For `plan`: each entry kept as its place in the file and the fields
                    // every profile's plan reads, in a row (``KeptEntryRows``), and the
                    // entries looked up in their names' order (``LockEntries``), not in a
                    // dictionary.
                    let rows = KeptEntryRows(file: membersFile)
                    if let expectedCount { rows.reserveCapacity(expectedCount) }
                    while let name = try nextKey(&names) {
                        guard Self.isProfileName(name) else { throw Unrecognised() }
                        skipWhitespace()
                        let start = base + index
                        let entry = try entry(named: name)
                        rows.append(entry, named: name, range: start..<(base + index))
                    }
                    guard let entries = LockEntries.sorted(rows) else { throw Unrecognised() }
                    lockfile.entries = entries
                } else {
                    if let expectedCount { lockfile.entries.reserveCapacity(expectedCount) }
                    while let name = try nextKey(&names) {
                        guard Self.isProfileName(name) else { throw Unrecognised() }
                        skipWhitespace()
                        let entry = try entry(named: name)
                        // One lookup: a name read before gives up (after its entry is read).
                        guard lockfile.entries.updateValue(entry, forKey: name) == nil else { throw Unrecognised() }
                    }
                }
            default:
                throw Unrecognised()
            }
        }
        guard version != nil, let serial, sawEntries else { throw Unrecognised() }
        lockfile.serial = serial
        return lockfile
    }

    /// Bytes an entry takes in a lockfile apply wrote: about 2,400 with a dozen member
    /// records (the benchmark's 246 MB for 100,000 entries), 600 without. The lower end of
    /// the common case, so that the estimate is rarely more than the count.
    static let typicalEntrySize = 2_048
    /// At most this many entries are expected of any input, however large: a dictionary
    /// reserved for them is some 48 MB, and a larger lockfile grows it as it is read.
    static let expectedEntryLimit = 1 << 21

    /// How many entries an input of `inputSize` bytes is expected to hold: what its
    /// dictionary is reserved for. A dictionary grown by doubling while 100,000 entries are
    /// read rehashes every name it holds at each of 17 growths, and holds the old table
    /// and the new one at once at each.
    static func expectedEntryCount(inputSize: Int) -> Int {
        min(max(inputSize, 0) / typicalEntrySize, expectedEntryLimit)
    }

    private mutating func endpoint() throws(Unrecognised) -> LockfileEndpoint {
        var kind: String?
        var url: String?
        var cursor = ObjectCursor()
        while let key = try nextKey(&cursor) {
            switch key {
            case "kind": kind = try string()
            case "url":
                let text = try string()
                guard Self.length(text, within: 1...2048) else { throw Unrecognised() }
                url = text
            default: throw Unrecognised()
            }
        }
        switch (kind, url) {
        case ("aws"?, nil): return .aws
        case ("emulator"?, nil): return .emulator
        case ("custom"?, let url?): return .custom(normalising: url)
        default: throw Unrecognised()
        }
    }

    private mutating func inputs() throws(Unrecognised) -> LockfileInputs {
        var roots: [String]?
        var cursor = ObjectCursor()
        while let key = try nextKey(&cursor) {
            guard key == "roots" else { throw Unrecognised() }
            var list: [String] = []
            var seen = Set<String>()
            var moreInner = try openArray()
            while moreInner {
                let root = try string()
                guard Self.length(root, within: 1...4096), root.utf8.first != UInt8(ascii: "/"),
                      seen.insert(root).inserted else { throw Unrecognised() }
                list.append(root)
                moreInner = try nextElement()
            }
            guard (1...10_000).contains(list.count) else { throw Unrecognised() }
            roots = list
        }
        guard let roots else { throw Unrecognised() }
        return LockfileInputs(roots: roots)
    }

    // MARK: One entry

    /// The entry of the profile `name` (whose `String` a token chatctl made keeps).
    private mutating func entry(named name: String) throws(Unrecognised) -> LockEntry {
        // Filled in place (no table of fields per entry); the four required members are
        // counted, each key being read at most once.
        var entry = LockEntry(digest: "", generation: 0, clientToken: "", status: .pending)
        var required = 0
        var cursor = FieldCursor()
        while let field = try nextField(&cursor) {
            switch field {
            case .digest:
                entry.storedDigest = try digest()
                required += 1
            case .generation:
                let number = try integer()
                guard number >= 1 else { throw Unrecognised() }
                entry.generation = number
                required += 1
            case .clientToken:
                let text = try string()
                guard Self.length(text, within: 1...500) else { throw Unrecognised() }
                entry.storedClientToken = ClientTokenText(text, name: name)
                required += 1
            case .status:
                entry.status = try oneOf(LockEntry.Status.self)
                required += 1
            case .contactId: entry.storedContactId = try storedContactID()
            case .participantId: entry.storedParticipantId = try storedContactID()
            case .continuedFromContactId: entry.continuedFromContactId = try contactID()
            case .relatedContactId: entry.relatedContactId = try contactID()
            case .participantTokenSha256: entry.storedParticipantTokenSha256 = try storedHexDigest()
            case .region: entry.region = try region()
            case .instance: entry.instance = try instance()
            case .startedAt: entry.startedAt = try timestamp()
            case .expiresAt: entry.expiresAt = try timestamp()
            case .stoppedAt: entry.stoppedAt = try timestamp()
            case .attempts:
                let number = try integer()
                guard number >= 0 else { throw Unrecognised() }
                entry.attempts = number
            case .error: entry.error = try failure()
            case .observed: entry.observed = try observation()
            case .replacing: entry.replacing = try replacement()
            case .verification: entry.verification = try verification()
            case .members: entry.memberStorage = try memberRecords()
            }
        }
        guard required == 4 else { throw Unrecognised() }
        // The schema's allOf: a started or stopped entry names its contact, a failed one its error.
        if entry.status == .started || entry.status == .stopped, !entry.hasContactId { throw Unrecognised() }
        if entry.status == .failed, entry.error == nil { throw Unrecognised() }
        return entry
    }

    /// The members an entry may have (the schema's `properties`, which are all it allows).
    private enum EntryField: Int, CaseIterable {
        case digest, generation, clientToken, status, contactId, participantId, continuedFromContactId
        case relatedContactId, participantTokenSha256, region, instance, startedAt, expiresAt, stoppedAt
        case attempts, error, observed, replacing, verification, members

        /// Each field with its key's bytes: an entry's keys are matched on their bytes, with
        /// no `String` made for each of the dozen keys of 100,000 entries.
        static let keys: [(key: [UInt8], field: EntryField)] = allCases.map { (Array("\($0)".utf8), $0) }

        /// The field `key` names, or `nil` for a key the schema does not allow.
        static func named(_ key: ArraySlice<UInt8>) -> EntryField? {
            for known in keys where known.key.count == key.count && known.key.elementsEqual(key) { return known.field }
            return nil
        }
    }

    /// Where ``nextField(_:)`` is in an entry, and the fields it has read.
    private struct FieldCursor {
        var opened = false
        var seen: UInt32 = 0
    }

    /// The entry's next member's field (its value follows), or `nil` after its last member;
    /// an unknown or repeated key gives up, as the generic reading refuses them.
    private mutating func nextField(_ cursor: inout FieldCursor) throws(Unrecognised) -> EntryField? {
        guard try atNextKey(&cursor.opened) else { return nil }
        let field: EntryField?
        switch try stringToken() {
        // Resolved before the colon is read: reading on may move the window.
        case .plain(let range, _): field = EntryField.named(bytes[range])
        case .escaped(let key): field = EntryField.named(ArraySlice(key.utf8))
        }
        guard let field, cursor.seen & (1 << field.rawValue) == 0 else { throw Unrecognised() }
        cursor.seen |= 1 << field.rawValue
        try expect(UInt8(ascii: ":"))
        return field
    }

    private mutating func failure() throws(Unrecognised) -> LockEntry.Failure {
        var code: String?, message: String?, requestId: String?
        var cursor = ObjectCursor()
        while let key = try nextKey(&cursor) {
            switch key {
            case "code":
                let text = try string()
                guard !text.isEmpty else { throw Unrecognised() }
                code = text
            case "message": message = try string()
            case "requestId": requestId = try string()
            default: throw Unrecognised()
            }
        }
        guard let code, let message else { throw Unrecognised() }
        return LockEntry.Failure(code: code, message: message, requestId: requestId)
    }

    private mutating func observation() throws(Unrecognised) -> LockEntry.Observation {
        var state: LockEntry.Observation.State?
        var dates: [String: Date] = [:]
        var queueId: String?
        var cursor = ObjectCursor()
        while let key = try nextKey(&cursor) {
            switch key {
            case "state": state = try oneOf(LockEntry.Observation.State.self)
            case "refreshedAt", "disconnectedAt", "queuedAt", "agentConnectedAt": dates[key] = try timestamp()
            case "queueId":
                let text = try string()
                guard Self.length(text, within: 1...256) else { throw Unrecognised() }
                queueId = text
            default: throw Unrecognised()
            }
        }
        guard let state, let refreshedAt = dates["refreshedAt"] else { throw Unrecognised() }
        return LockEntry.Observation(
            state: state, refreshedAt: refreshedAt, disconnectedAt: dates["disconnectedAt"], queuedAt: dates["queuedAt"],
            queueId: queueId, agentConnectedAt: dates["agentConnectedAt"])
    }

    private mutating func replacement() throws(Unrecognised) -> LockEntry.Replacement {
        var contact: String?, instance: String?, region: String?, expiresAt: Date?
        var then: LockEntry.Replacement.Disposition?
        var cursor = ObjectCursor()
        while let key = try nextKey(&cursor) {
            switch key {
            case "contactId": contact = try contactID()
            case "instance": instance = try self.instance()
            case "region": region = try self.region()
            case "expiresAt": expiresAt = try timestamp()
            case "then": then = try oneOf(LockEntry.Replacement.Disposition.self)
            default: throw Unrecognised()
            }
        }
        guard let contact, let then else { throw Unrecognised() }
        return LockEntry.Replacement(contactId: contact, instance: instance, region: region, expiresAt: expiresAt, then: then)
    }

    private mutating func verification() throws(Unrecognised) -> LockEntry.Verification {
        var status: LockEntry.Verification.Status?, at: Date?, failedStep: Int?
        var cursor = ObjectCursor()
        while let key = try nextKey(&cursor) {
            switch key {
            case "status": status = try oneOf(LockEntry.Verification.Status.self)
            case "at": at = try timestamp()
            case "failedStep":
                let step = try integer()
                guard (1...1000).contains(step) else { throw Unrecognised() }
                failedStep = step
            default: throw Unrecognised()
            }
        }
        // A passed verification has no failedStep; a failed one names it.
        guard let status, let at, (status == .passed) == (failedStep == nil) else { throw Unrecognised() }
        return LockEntry.Verification(status: status, at: at, failedStep: failedStep)
    }

    /// The `members` object, checked record by record, as compact JSON bytes (or as its
    /// place in ``membersFile``).
    private mutating func memberRecords() throws(Unrecognised) -> LockEntry.MemberStorage {
        skipWhitespace()
        // Pinned: the object's bytes are kept whole in the window until it is read.
        let start = base + index
        if let membersFile, let checked = checkedMembers, checked.lowerBound == start, checked.upperBound <= base + bytes.count {
            index = checked.upperBound - base
            return .inFile(membersFile, range: checked)
        }
        let outerPin = pin
        pin = outerPin ?? start
        defer { pin = outerPin }
        // Nearly every members object is plain (``PlainMembersScanner``): checked in one scan
        // of the window, scanned again (pinned, it stays there) when the window ends before
        // it does. At anything else the object is read from its start, the general way,
        // which decides.
        var more = true
        scanning: while true {
            switch PlainMembersScanner.scan(bytes, from: index) {
            case .valid(let end):
                index = end
                return kept(from: start)
            case .needsMore where more:
                // Twice the bytes held from the object's start at each try: an object longer
                // than the pieces read is scanned a few times, not once a piece. At the
                // input's end, what it had is scanned once more.
                more = available(2 * (bytes.count - index) + 1)
            case .needsMore, .notPlain:
                break scanning
            }
        }
        index = start - base
        var names = ObjectCursor()
        while let name = try nextKey(&names) {
            guard Self.isMemberName(name) else { throw Unrecognised() }
            // Exactly one of `value` and `digest`: a second key, repeated or not, is refused.
            var kinds = ObjectCursor(refusesRepeats: false)
            var count = 0
            while let kind = try nextKey(&kinds) {
                count += 1
                switch kind {
                case "value": try skipValue(depth: 3)
                case "digest": try hexDigest(keeping: false)
                default: throw Unrecognised()
                }
            }
            guard count == 1 else { throw Unrecognised() }
        }
        guard names.count <= 10_000 else { throw Unrecognised() }
        return kept(from: start)
    }

    /// The checked `members` object that began at offset `start`, as it is kept.
    private func kept(from start: Int) -> LockEntry.MemberStorage {
        if let membersFile { return .inFile(membersFile, range: start..<(base + index)) }
        return .encoded(Self.compact(bytes(from: start)))
    }

    // MARK: Field shapes

    /// `^[0-9a-f]{64}$`; read straight from the bytes when written plainly (most of a
    /// lockfile's bytes are such digests), else as any string.
    /// - Parameter keeping: false when only the check matters (a member's digest, kept as bytes).
    @discardableResult
    private mutating func hexDigest(keeping: Bool = true) throws(Unrecognised) -> String {
        skipWhitespace()
        if available(66), bytes[index] == UInt8(ascii: "\""), bytes[index + 65] == UInt8(ascii: "\""),
           ByteWords.allLowerHex(bytes.span.extracting((index + 1)..<(index + 65))) {
            let text = keeping ? String(decoding: bytes[(index + 1)...(index + 64)], as: UTF8.self) : ""
            index += 66
            return text
        }
        let text = try string()
        guard text.utf8.count == 64, text.utf8.allSatisfy(Self.isLowerHex) else { throw Unrecognised() }
        return text
    }

    private mutating func contactID() throws(Unrecognised) -> String {
        let text = try string()
        guard Self.length(text, within: 1...256) else { throw Unrecognised() }
        return text
    }

    /// ``contactID()`` kept as ``UUIDText``: a lowercase UUID written plainly is made into
    /// its 16 bytes straight from the file's (its 36 characters are within the bounds).
    private mutating func storedContactID() throws(Unrecognised) -> UUIDText {
        switch try stringToken() {
        case .plain(let range, let ascii):
            if let id = UUIDText(utf8: bytes[range]) { return id }
            let text = try text(range, ascii: ascii)
            guard Self.length(text, within: 1...256) else { throw Unrecognised() }
            return UUIDText(text)
        case .escaped(let text):
            guard Self.length(text, within: 1...256) else { throw Unrecognised() }
            return UUIDText(text)
        }
    }

    /// `^sha256:[0-9a-f]{64}$`, checked on the bytes when written plainly.
    private mutating func digest() throws(Unrecognised) -> HexDigestText {
        let digest: HexDigestText?
        switch try stringToken() {
        // Checked as it is kept, as its 32 bytes: no `String` made (of the two forms it
        // reads, the one with the prefix).
        case .plain(let range, _): digest = range.count == 71 ? HexDigestText(utf8: bytes[range]) : nil
        case .escaped(let text): digest = Self.isDigest(ArraySlice(text.utf8)) ? HexDigestText(text) : nil
        }
        guard let digest else { throw Unrecognised() }
        return digest
    }

    /// ``hexDigest(keeping:)`` kept as its 32 bytes, made from the file's bytes when written plainly.
    private mutating func storedHexDigest() throws(Unrecognised) -> HexDigestText {
        skipWhitespace()
        if available(66), bytes[index] == UInt8(ascii: "\""), bytes[index + 65] == UInt8(ascii: "\""),
           let digest = HexDigestText(utf8: bytes[(index + 1)...(index + 64)]) {
            index += 66
            return digest
        }
        return HexDigestText(try hexDigest())
    }

    /// An instance id, 1 to 100 characters. Most entries name the instance the one before
    /// named: its `String` is then shared (one copy of its bytes for all of them, not one
    /// an entry), and its check was made already.
    private mutating func instance() throws(Unrecognised) -> String {
        switch try stringToken() {
        case .plain(let range, let ascii):
            if let lastInstance, lastInstance.utf8.elementsEqual(bytes[range]) { return lastInstance }
            let text = try text(range, ascii: ascii)
            guard Self.length(text, within: 1...100) else { throw Unrecognised() }
            lastInstance = text
            return text
        case .escaped(let text):
            guard Self.length(text, within: 1...100) else { throw Unrecognised() }
            return text
        }
    }

    /// `^[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}$`, checked on the bytes; shared like ``instance()``.
    private mutating func region() throws(Unrecognised) -> String {
        switch try stringToken() {
        case .plain(let range, _):
            if let lastRegion, lastRegion.utf8.elementsEqual(bytes[range]) { return lastRegion }
            guard Self.isRegion(bytes[range]) else { throw Unrecognised() }
            // All ASCII, as checked.
            let text = String(decoding: bytes[range], as: UTF8.self)
            lastRegion = text
            return text
        case .escaped(let text):
            guard Self.isRegion(ArraySlice(text.utf8)) else { throw Unrecognised() }
            return text
        }
    }

    /// The schema's timestamp pattern, then the date (which the generic path also
    /// requires), read from the bytes when written plainly (no `String` made).
    private mutating func timestamp() throws(Unrecognised) -> Date {
        let date: Date?
        switch try stringToken() {
        case .plain(let range, _):
            date = Self.isTimestamp(bytes[range]) ? RFC3339.date(utf8: bytes[range]) : nil
        case .escaped(let text):
            let utf8 = ArraySlice(text.utf8)
            date = Self.isTimestamp(utf8) ? RFC3339.date(utf8: utf8) : nil
        }
        guard let date else { throw Unrecognised() }
        return date
    }

    /// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, a fraction of 1 to 9 digits.
    static func isTimestamp(_ text: ArraySlice<UInt8>) -> Bool {
        guard text.count >= 20, text.last == UInt8(ascii: "Z") else { return false }
        let t = text.startIndex
        func digits(_ range: Range<Int>) -> Int? {
            var value = 0
            for i in range {
                guard isDigit(text[t + i]) else { return nil }
                value = value * 10 + Int(text[t + i] - UInt8(ascii: "0"))
            }
            return value
        }
        guard digits(0..<4) != nil, text[t + 4] == UInt8(ascii: "-"), let month = digits(5..<7), (1...12).contains(month),
              text[t + 7] == UInt8(ascii: "-"), let day = digits(8..<10), (1...31).contains(day),
              text[t + 10] == UInt8(ascii: "T"), let hour = digits(11..<13), hour <= 23, text[t + 13] == UInt8(ascii: ":"),
              let minute = digits(14..<16), minute <= 59, text[t + 16] == UInt8(ascii: ":"), let second = digits(17..<19),
              second <= 60 else { return false }
        if text.count == 20 { return true }
        guard text[t + 19] == UInt8(ascii: "."), (22...30).contains(text.count), digits(20..<(text.count - 1)) != nil
        else { return false }
        return true
    }

    /// `^[a-z]{2,4}(?:-[a-z]+)+-[0-9]{1,2}$`: 2 to 4 letters, one or more `-letters`, then
    /// `-` and 1 or 2 digits; in one scan of the parts between dashes.
    static func isRegion(_ text: ArraySlice<UInt8>) -> Bool {
        var parts = 1
        var length = 0
        var letters = true
        var digits = true
        for byte in text {
            if byte == UInt8(ascii: "-") {
                guard letters, parts == 1 ? (2...4).contains(length) : length > 0 else { return false }
                parts += 1
                (length, letters, digits) = (0, true, true)
                continue
            }
            length += 1
            letters = letters && isLowerLetter(byte)
            digits = digits && isDigit(byte)
        }
        return parts >= 3 && (1...2).contains(length) && digits
    }

    /// `^sha256:[0-9a-f]{64}$`.
    static func isDigest(_ text: ArraySlice<UInt8>) -> Bool {
        text.count == 71 && text.prefix(7).elementsEqual(digestPrefix) && ByteWords.allLowerHex(text.span.extracting(7...))
    }
    private static let digestPrefix = Array("sha256:".utf8)

    /// `^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?$`, at most 63 characters.
    static func isProfileName(_ name: String) -> Bool {
        let utf8 = name.utf8
        guard let first = utf8.first, let last = utf8.last, utf8.count <= 63 else { return false }
        let hyphen = UInt8(ascii: "-")
        return first != hyphen && last != hyphen && utf8.allSatisfy { isLowerLetter($0) || isDigit($0) || $0 == hyphen }
    }

    /// `^[A-Z][A-Za-z]*(?:\..+)?$`, 1 to 1024 characters; `.` matches no line terminator.
    static func isMemberName(_ name: String) -> Bool {
        // Walked as code points without copying them (a lockfile holds a dozen names an entry).
        let scalars = name.unicodeScalars
        guard let first = scalars.first, ("A"..."Z").contains(first) else { return false }
        var count = 1
        var rest = scalars.dropFirst()
        while let next = rest.first, ("A"..."Z").contains(next) || ("a"..."z").contains(next) {
            rest = rest.dropFirst()
            count += 1
        }
        guard let dot = rest.first else { return count <= 1024 }
        rest = rest.dropFirst()
        guard dot == ".", !rest.isEmpty else { return false }
        let terminators: [Unicode.Scalar] = ["\n", "\r", "\u{2028}", "\u{2029}"]
        for scalar in rest {
            guard !terminators.contains(scalar) else { return false }
            count += 1
        }
        return count + 1 <= 1024
    }

    /// The schema counts lengths in Unicode code points.
    private static func length(_ text: String, within bounds: ClosedRange<Int>) -> Bool {
        let bytes = text.utf8.count
        // Code points are at most bytes and at least a quarter of them.
        if bounds.contains(bytes), bounds.contains((bytes + 3) / 4) { return true }
        return bounds.contains(text.unicodeScalars.count)
    }

    private static func isLowerHex(_ byte: UInt8) -> Bool { isDigit(byte) || (0x61...0x66).contains(byte) }
    private static func isLowerLetter(_ byte: UInt8) -> Bool { (0x61...0x7A).contains(byte) }
    private static func isDigit(_ byte: UInt8) -> Bool { (0x30...0x39).contains(byte) }

    // MARK: JSON syntax

    private mutating func skipWhitespace() {
        while available() {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    /// Consumes `byte` after any whitespace.
    private mutating func expect(_ byte: UInt8) throws(Unrecognised) {
        skipWhitespace()
        guard available(), bytes[index] == byte else { throw Unrecognised() }
        index += 1
    }

    /// True, consuming it, when the next byte after whitespace is `byte`.
    private mutating func take(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard available(), bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// Where ``nextKey(_:)`` is in an object, and the keys it has read.
    private struct ObjectCursor {
        /// A repeated key makes ``nextKey(_:)`` give up, as the generic parser refuses it.
        /// Off where the caller's own dictionary tells a repeat.
        var refusesRepeats = true
        var opened = false
        /// The keys read so far: a list while short (most objects here have a handful of
        /// keys, and a set for each would cost an allocation), a set past that.
        private var few: [String] = []
        private var many: Set<String>?
        var count: Int { many?.count ?? few.count }

        init(refusesRepeats: Bool = true) { self.refusesRepeats = refusesRepeats }

        /// Records `key`; false when it was read before.
        mutating func insert(_ key: String) -> Bool {
            if many != nil { return many?.insert(key).inserted ?? false }
            if few.contains(key) { return false }
            few.append(key)
            if few.count > 16 {
                many = Set(few)
                few = []
            }
            return true
        }
    }

    /// The next member's key (its value follows), or `nil` after the object's last member.
    private mutating func nextKey(_ cursor: inout ObjectCursor) throws(Unrecognised) -> String? {
        guard try atNextKey(&cursor.opened) else { return nil }
        let key = try self.key()
        if cursor.refusesRepeats, !cursor.insert(key) { throw Unrecognised() }
        return key
    }

    /// Moves to an object's next key, opening the object first when `opened` is false:
    /// true when a key follows, false after the object's last member.
    private mutating func atNextKey(_ opened: inout Bool) throws(Unrecognised) -> Bool {
        guard opened else {
            opened = true
            return try openObject()
        }
        return try nextMember()
    }

    /// Opens an object: true when it has a member (read its ``key()``, then its value).
    private mutating func openObject() throws(Unrecognised) -> Bool {
        try expect(UInt8(ascii: "{"))
        return !take(UInt8(ascii: "}"))
    }

    /// A member's key and its colon.
    private mutating func key() throws(Unrecognised) -> String {
        let key = try string()
        try expect(UInt8(ascii: ":"))
        return key
    }

    /// After a member's value: true when another member follows, false at the object's end.
    private mutating func nextMember() throws(Unrecognised) -> Bool {
        if take(UInt8(ascii: ",")) { return true }
        try expect(UInt8(ascii: "}"))
        return false
    }

    /// Opens an array: true when it has an element.
    private mutating func openArray() throws(Unrecognised) -> Bool {
        try expect(UInt8(ascii: "["))
        return !take(UInt8(ascii: "]"))
    }

    /// After an element: true when another follows, false at the array's end.
    private mutating func nextElement() throws(Unrecognised) -> Bool {
        if take(UInt8(ascii: ",")) { return true }
        try expect(UInt8(ascii: "]"))
        return false
    }

    /// A string that is one of `Value`'s cases (the schema's `enum`), matched on its bytes
    /// when written plainly (the same few values in every entry: no `String` made for them).
    private mutating func oneOf<Value: RawRepresentable & CaseIterable>(_: Value.Type) throws(Unrecognised) -> Value
    where Value.RawValue == String {
        switch try stringToken() {
        case .plain(let range, _):
            for value in Value.allCases where value.rawValue.utf8.elementsEqual(bytes[range]) { return value }
            throw Unrecognised()
        case .escaped(let text):
            guard let value = Value(rawValue: text) else { throw Unrecognised() }
            return value
        }
    }

    /// A string token as read: where its content lies in the window when it has no escape
    /// (valid until the window next moves, that is until the next ``available(_:)``), and
    /// whether those bytes are all ASCII; else its text, escapes decoded.
    private enum StringToken {
        case plain(Range<Int>, ascii: Bool)
        case escaped(String)
    }

    /// The next string token; a raw control character, or an escape it does not expect, is refused.
    private mutating func stringToken() throws(Unrecognised) -> StringToken {
        skipWhitespace()
        guard available(), bytes[index] == UInt8(ascii: "\"") else { throw Unrecognised() }
        index += 1
        let start = base + index
        let outerPin = pin
        pin = outerPin ?? start
        defer { pin = outerPin }
        // The bits of every byte: below 0x80 means all ASCII.
        var seen: UInt8 = 0
        while available() {
            if index + 8 <= bytes.count {
                // Eight ASCII bytes at a time while they need no look (``ByteWords``).
                let plain = ByteWords.leadingPlainASCII(ByteWords.load(bytes.span, at: index))
                index += plain
                if plain == 8 { continue }
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let range = (start - base)..<index
                index += 1
                return .plain(range, ascii: seen < 0x80)
            }
            if byte == UInt8(ascii: "\\") { return .escaped(try escapedString(Array(bytes(from: start)))) }
            guard byte >= 0x20 else { throw Unrecognised() }
            seen |= byte
            index += 1
        }
        throw Unrecognised()
    }

    /// A string value, escapes decoded; invalid UTF-8 or a raw control character is refused.
    private mutating func string() throws(Unrecognised) -> String {
        switch try stringToken() {
        case .plain(let range, let ascii): return try text(range, ascii: ascii)
        case .escaped(let text): return text
        }
    }

    /// The text of the plain string token at `range` of the window. ASCII bytes are valid
    /// UTF-8 as they are: only other text is validated (which refuses invalid UTF-8).
    private func text(_ range: Range<Int>, ascii: Bool) throws(Unrecognised) -> String {
        if ascii { return String(decoding: bytes[range], as: UTF8.self) }
        guard let text = String(validating: bytes[range], as: UTF8.self) else { throw Unrecognised() }
        return text
    }

    /// The rest of a string that has an escape, after its first bytes `decoded`.
    private mutating func escapedString(_ decoded: [UInt8]) throws(Unrecognised) -> String {
        var decoded = decoded
        while available() {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                guard let text = String(validating: decoded, as: UTF8.self) else { throw Unrecognised() }
                return text
            case UInt8(ascii: "\\"):
                guard available() else { throw Unrecognised() }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): decoded.append(escape)
                case UInt8(ascii: "b"): decoded.append(0x08)
                case UInt8(ascii: "f"): decoded.append(0x0C)
                case UInt8(ascii: "n"): decoded.append(0x0A)
                case UInt8(ascii: "r"): decoded.append(0x0D)
                case UInt8(ascii: "t"): decoded.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hexQuad()
                    if (0xD800...0xDBFF).contains(scalar) {
                        // A high surrogate must be followed by its low one.
                        guard available(2), bytes[index] == UInt8(ascii: "\\"),
                              bytes[index + 1] == UInt8(ascii: "u") else { throw Unrecognised() }
                        index += 2
                        let low = try hexQuad()
                        guard (0xDC00...0xDFFF).contains(low) else { throw Unrecognised() }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    guard let character = Unicode.Scalar(scalar) else { throw Unrecognised() }
                    decoded += Array(String(Character(character)).utf8)
                default: throw Unrecognised()
                }
            default:
                guard byte >= 0x20 else { throw Unrecognised() }
                decoded.append(byte)
            }
        }
        throw Unrecognised()
    }

    private mutating func hexQuad() throws(Unrecognised) -> UInt32 {
        guard available(4) else { throw Unrecognised() }
        var value: UInt32 = 0
        for byte in bytes[index..<(index + 4)] {
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            default: throw Unrecognised()
            }
            value = value << 4 | digit
        }
        index += 4
        return value
    }

    /// A plain integer (`-?(0|[1-9][0-9]*)`) that fits in `Int`; a fraction, an exponent
    /// or a larger number is left to the generic path (which reads `1.0` as 1, and refuses
    /// what is too large with its own message).
    private mutating func integer() throws(Unrecognised) -> Int {
        skipWhitespace()
        let negative = available() && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let leadingZero = available() && bytes[index] == UInt8(ascii: "0")
        var count = 0
        var value = 0
        while available(), Self.isDigit(bytes[index]) {
            let (times, overflow) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(Int(bytes[index] - 0x30))
            guard !overflow, !overflow2 else { throw Unrecognised() }
            value = sum
            index += 1
            count += 1
        }
        guard count > 0, count == 1 || !leadingZero else { throw Unrecognised() }
        if available(), [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) {
            throw Unrecognised()
        }
        return negative ? -value : value
    }

    /// Checks any JSON value's syntax (a member's recorded value, whose content the schema leaves free).
    private mutating func skipValue(depth: Int) throws(Unrecognised) {
        guard depth <= Self.maximumDepth else { throw Unrecognised() }
        skipWhitespace()
        guard available() else { throw Unrecognised() }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            var cursor = ObjectCursor()
            while try nextKey(&cursor) != nil {
                try skipValue(depth: depth + 1)
            }
        case UInt8(ascii: "["):
            var more = try openArray()
            while more {
                try skipValue(depth: depth + 1)
                more = try nextElement()
            }
        case UInt8(ascii: "\""): _ = try string()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: try number()
        }
    }

    private mutating func literal(_ word: StaticString) throws(Unrecognised) {
        let count = word.utf8CodeUnitCount
        guard available(count) else { throw Unrecognised() }
        var matches = true
        word.withUTF8Buffer { expected in matches = bytes[index..<(index + count)].elementsEqual(expected) }
        guard matches else { throw Unrecognised() }
        index += count
        // `truex` is not `true` followed by garbage.
        if available(), Self.isDigit(bytes[index]) || Self.isLowerLetter(bytes[index])
            || (0x41...0x5A).contains(bytes[index]) { throw Unrecognised() }
    }

    /// JSON number syntax; its value is not needed.
    private mutating func number() throws(Unrecognised) {
        // An offset in the whole input, and pinned: reading on may move the window (a
        // window offset kept across a read pointed past the number, and a number split
        // by a read, or cut by the file's end, trapped).
        let start = base + index
        let outerPin = pin
        pin = outerPin ?? start
        defer { pin = outerPin }
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let leadingZero = available() && bytes[index] == UInt8(ascii: "0")
        let digits = skipDigits()
        guard digits > 0, digits == 1 || !leadingZero else { throw Unrecognised() }
        var integer = true
        if available(), bytes[index] == UInt8(ascii: ".") {
            index += 1
            integer = false
            guard skipDigits() > 0 else { throw Unrecognised() }
        }
        if available(), bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            integer = false
            if available(), bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard skipDigits() > 0 else { throw Unrecognised() }
        }
        // The generic parser refuses a number no Double can hold ("too large"); so must
        // this pass, or a member value such as 1e400 would be kept as bytes that no later
        // reading accepts. Integers of up to 18 digits always fit.
        if !integer || digits > 18 {
            guard let value = Double(String(decoding: bytes(from: start), as: UTF8.self)), value.isFinite
            else { throw Unrecognised() }
        }
    }

    /// Skips decimal digits; how many.
    private mutating func skipDigits() -> Int {
        var count = 0
        while available(), Self.isDigit(bytes[index]) {
            index += 1
            count += 1
        }
        return count
    }

    /// `json` without the whitespace between its tokens (it has been checked: strings end
    /// where their closing quote is).
    private static func compact(_ json: ArraySlice<UInt8>) -> [UInt8] {
        // Twice over the bytes: first to count, so the array is allocated at its exact
        // size (kept for every entry, its slack would add up).
        var count = 0
        forEachKept(json) { _ in count += 1 }
        var out: [UInt8] = []
        out.reserveCapacity(count)
        forEachKept(json) { out.append($0) }
        return out
    }

    /// Calls `body` with each byte of `json` that is not whitespace between tokens.
    private static func forEachKept(_ json: ArraySlice<UInt8>, _ body: (UInt8) -> Void) {
        var inString = false
        var escaped = false
        for byte in json {
            if inString {
                if escaped {
                    escaped = false
                } else if byte == UInt8(ascii: "\\") {
                    escaped = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
            } else {
                switch byte {
                case 0x20, 0x0A, 0x0D, 0x09: continue
                case UInt8(ascii: "\""): inString = true
                default: break
                }
            }
            body(byte)
        }
    }
}
