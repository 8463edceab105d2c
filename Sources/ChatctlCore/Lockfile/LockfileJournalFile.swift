import ChatctlJSON

/// The bytes of the lockfile's write-ahead journal, `<lockfile>.journal` (docs/lockfile.md,
/// "The journal"): apply appends one record per group commit, with one fsync, instead of
/// rewriting the whole lockfile, and folds the journal into the lockfile at the end of the
/// run (and whenever the journal outgrows the lockfile).
///
/// The file is the line `chatctl-lockfile-journal 1` then records. A record is a 12-byte
/// header — the payload's length (UInt32, little-endian), the length's bitwise complement,
/// the payload's CRC-32 — then the payload, a JSON object:
///
/// ```
/// {"base": "<hex SHA-256 of the lockfile's bytes>" | "none",      first record only
///  "top": {the lockfile's top-level members, "entries": {}},      first record, or when they change
///  "changes": [{"set": "<profile>", "entry": {…}}, {"remove": "<profile>"}]}
/// ```
///
/// Reading is strict except at the end: a record that was being written when the process
/// died (its header or payload cut short, or its checksum wrong with nothing after it) was
/// never acknowledged — its fsync never returned, so no request waited on it left — and is
/// ignored as a torn tail. Damage anywhere else, a record whose checksum holds but whose
/// content is not what chatctl writes, another format version: a precise error, never a
/// guess that could drop a record some request was sent on.
enum LockfileJournalFile {
    /// The first line of every journal; the number is the format version.
    static let magic = Array("chatctl-lockfile-journal 1\n".utf8)
    static let magicName = Array("chatctl-lockfile-journal ".utf8)
    static let version = 1
    static let headerSize = 12
    /// `base` when the journal began without a lockfile on disk.
    static let noBase = "none"

    /// One change to an entry, as replayed.
    enum Change: Sendable, Equatable {
        case set(String, LockEntry)
        case remove(String)
    }

    /// One record, decoded.
    struct Record: Sendable, Equatable {
        /// Where the record begins in the file (its header), for diagnostics.
        var offset: Int
        /// The first record's: what the journal continues.
        var base: String?
        /// The top-level members (serial, endpoint, inputs, salt) from this record on.
        var top: Lockfile?
        var changes: [Change]
    }

    /// What a journal holds: its records, and how many bytes at its end were torn off.
    struct Contents: Sendable, Equatable {
        var records: [Record]
        var tornBytes: Int
    }

    // MARK: Writing

    /// One framed record. `changes` hold each entry's JSON as already encoded (`nil`
    /// removes the entry), so recording a change costs no second encoding.
    static func record(base: String?, top: [UInt8]?, changes: [(name: String, entry: ArraySlice<UInt8>?)]) -> [UInt8] {
        var payload: [UInt8] = [UInt8(ascii: "{")]
        if let base {
            payload.append(contentsOf: "\"base\":".utf8)
            JSONWriter.appendString(base, to: &payload)
            payload.append(UInt8(ascii: ","))
        }
        if let top {
            payload.append(contentsOf: "\"top\":".utf8)
            payload.append(contentsOf: top)
            payload.append(UInt8(ascii: ","))
        }
        payload.append(contentsOf: "\"changes\":[".utf8)
        for (position, change) in changes.enumerated() {
            if position > 0 { payload.append(UInt8(ascii: ",")) }
            if let entry = change.entry {
                payload.append(contentsOf: "{\"set\":".utf8)
                JSONWriter.appendString(change.name, to: &payload)
                payload.append(contentsOf: ",\"entry\":".utf8)
                payload.append(contentsOf: entry)
            } else {
                payload.append(contentsOf: "{\"remove\":".utf8)
                JSONWriter.appendString(change.name, to: &payload)
            }
            payload.append(UInt8(ascii: "}"))
        }
        payload.append(contentsOf: "]}".utf8)
        return frame(payload)
    }

    /// The top-level members of `lockfile` as a record's `top`.
    static func top(of lockfile: Lockfile, codec: LockfileCodec) -> [UInt8] {
        var header = lockfile
        header.entries = [:]
        return JSONWriter.compact.bytes(codec.json(header))
    }

    /// `payload` behind its header.
    static func frame(_ payload: [UInt8]) -> [UInt8] {
        let length = UInt32(truncatingIfNeeded: payload.count)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(headerSize + payload.count)
        appendLittleEndian(length, to: &bytes)
        appendLittleEndian(~length, to: &bytes)
        appendLittleEndian(CRC32.checksum(payload), to: &bytes)
        bytes.append(contentsOf: payload)
        return bytes
    }

    private static func appendLittleEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    private static func littleEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        (0..<4).reduce(UInt32(0)) { value, index in value | UInt32(bytes[offset + index]) << UInt32(8 * index) }
    }

    // MARK: Reading

    /// The records of a journal file's `bytes`, read from `file` (named in errors).
    /// - Throws: ``LockfileError`` for a file that is not a journal, another format
    ///   version, a damaged record with bytes after it, or a record whose content chatctl
    ///   did not write.
    static func decode(_ bytes: [UInt8], file: String, codec: LockfileCodec) throws(LockfileError) -> Contents {
        // Created but never written whole (its first fsync never returned): nothing in it
        // was acknowledged.
        if bytes.allSatisfy({ $0 == 0 }) || (bytes.count <= magic.count && magic.starts(with: bytes)) {
            return Contents(records: [], tornBytes: bytes.count)
        }
        guard bytes.starts(with: magic) else {
            if bytes.starts(with: magicName) {
                let version = String(decoding: bytes.dropFirst(magicName.count).prefix { $0 != 0x0A }.prefix(20), as: UTF8.self)
                throw .journalVersion(file: file, version: version)
            }
            throw .journalUnknown(file: file)
        }
        var records: [Record] = []
        var offset = magic.count
        while offset < bytes.count {
            let remaining = bytes.count - offset
            // A header cut short.
            if remaining < headerSize { return Contents(records: records, tornBytes: remaining) }
            let length = littleEndian(bytes, at: offset)
            guard length != 0, littleEndian(bytes, at: offset + 4) == ~length else {
                // A region the file system extended but never wrote.
                if bytes[offset...].allSatisfy({ $0 == 0 }) { return Contents(records: records, tornBytes: remaining) }
                throw .journalDamaged(
                    file: file, record: records.count + 1, offset: offset, reason: "its header is damaged", following: remaining)
            }
            let end = offset + headerSize + Int(length)
            if end > bytes.count { return Contents(records: records, tornBytes: remaining) }
            let payload = bytes[(offset + headerSize)..<end]
            if CRC32.checksum(payload) != littleEndian(bytes, at: offset + 8) {
                if end == bytes.count { return Contents(records: records, tornBytes: remaining) }
                throw .journalDamaged(
                    file: file, record: records.count + 1, offset: offset, reason: "its checksum does not match",
                    following: bytes.count - end)
            }
            records.append(try record(Array(payload), number: records.count + 1, offset: offset, file: file, codec: codec))
            offset = end
        }
        return Contents(records: records, tornBytes: 0)
    }

    /// One payload, checked as strictly as the lockfile itself (its entries and top-level
    /// members go through ``LockfileCodec/decode(_:file:)``).
    private static func record(
        _ payload: [UInt8], number: Int, offset: Int, file: String, codec: LockfileCodec
    ) throws(LockfileError) -> Record {
        func invalid(_ reason: String) -> LockfileError {
            .journalRecordInvalid(file: file, record: number, offset: offset, reason: reason)
        }
        let value: JSONValue
        do {
            value = try JSONParser.parse(payload)
        } catch {
            throw invalid("it is not JSON: \(error.message)")
        }
        guard let members = value.objectValue else { throw invalid("it is not a JSON object") }
        if let unknown = members.keys.sorted().first(where: { !["base", "top", "changes"].contains($0) }) {
            throw invalid("it has an unknown member \(unknown.debugDescription)")
        }
        var record = Record(offset: offset, changes: [])
        switch (members["base"], number) {
        case (.string(let base)?, 1):
            guard base == noBase || (base.utf8.count == 64 && base.utf8.allSatisfy(Self.isLowercaseHex)) else {
                throw invalid("its base is neither \"none\" nor a hex SHA-256")
            }
            record.base = base
        case (nil, 1): throw invalid("the first record does not say which lockfile it continues (base)")
        case (nil, _): break
        default: throw invalid(number == 1 ? "its base is not a string" : "only the first record has a base")
        }
        if let top = members["top"] {
            guard top["entries"]?.objectValue?.isEmpty == true else { throw invalid("its top-level members hold entries") }
            do {
                record.top = try codec.decode(JSONWriter.compact.bytes(top), file: file)
            } catch {
                throw invalid("top: \(error.diagnostic.text)")
            }
        } else if number == 1 {
            throw invalid("the first record has no top-level members (top)")
        }
        guard let changes = members["changes"]?.arrayValue else { throw invalid("it has no list of changes") }
        var setEntries: [String: JSONValue] = [:]
        var order: [(name: String, set: Bool)] = []
        for change in changes {
            guard let object = change.objectValue else { throw invalid("a change is not a JSON object") }
            if let name = object["set"]?.stringValue, let entry = object["entry"], object.count == 2 {
                guard setEntries.updateValue(entry, forKey: name) == nil else { throw invalid("it sets \(name.debugDescription) twice") }
                order.append((name, true))
            } else if let name = object["remove"]?.stringValue, object.count == 1 {
                order.append((name, false))
            } else {
                throw invalid("a change is neither {\"set\", \"entry\"} nor {\"remove\"}: \(JSONWriter.compact.string(change).prefix(80))")
            }
        }
        var decoded: LockEntries = [:]
        if !setEntries.isEmpty {
            // The entries as a lockfile of their own: the lockfile's schema and reader, unchanged.
            let document = JSONValue.object([
                "lockfileVersion": .integer(Lockfile.currentVersion), "serial": .integer(0), "entries": .object(setEntries),
            ])
            do {
                decoded = try codec.decode(JSONWriter.compact.bytes(document), file: file).entries
            } catch {
                throw invalid(error.diagnostic.text)
            }
        }
        for (name, isSet) in order {
            if isSet {
                guard let entry = decoded[name] else { throw invalid("the entry of \(name.debugDescription) did not decode") }
                record.changes.append(.set(name, entry))
            } else {
                record.changes.append(.remove(name))
            }
        }
        return record
    }

    private static func isLowercaseHex(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
    }

    /// `lockfile` with `records` applied in order.
    static func replay(_ records: [Record], onto lockfile: Lockfile) -> Lockfile {
        var state = lockfile
        for record in records {
            if let top = record.top {
                state.serial = top.serial
                state.endpoint = top.endpoint
                state.inputs = top.inputs
                state.memberSalt = top.memberSalt
            }
            for change in record.changes {
                switch change {
                case .set(let name, let entry): state.entries[name] = entry
                case .remove(let name): state.entries[name] = nil
                }
            }
        }
        return state
    }
}

/// A journal found beside the lockfile when it was read, and replayed on top of it: left
/// by an apply that was killed (or is still running) before it folded it in.
public struct LockfileJournalReplay: Sendable, Equatable {
    /// The journal's path (`<lockfile>.journal`).
    public var path: String
    /// Records replayed.
    public var records: Int
    /// Bytes at its end ignored: a record whose write never finished, so never acknowledged.
    public var tornBytes: Int
    /// The lockfile already held every record (the run died between writing the lockfile
    /// and removing the journal).
    public var alreadyFolded: Bool

    /// One line for standard error.
    public var summary: String {
        let torn = tornBytes > 0 ? " (the unfinished last \(tornBytes) bytes ignored)" : ""
        let records = "\(self.records) \(self.records == 1 ? "record" : "records")"
        return alreadyFolded
            ? "\(path): the lockfile already holds its \(records)\(torn): an apply stopped while removing it"
            : "\(path): replayed its \(records)\(torn), left by an apply that did not finish"
    }
}
