import ChatctlAWS
/// What the planner reads of a profile to decide its action: its name, labels, place,
/// references, relaunch policy, own client token, region and digest. 96 bytes where a
/// ``ChatLaunchProfile`` with its request is about a kilobyte (issue 15).
///
/// A plan made from summaries (``Planner/plan(summaries:projectRegion:lockfile:options:now:reload:)``)
/// loads the full profile again only for the calls that send a request or show one; the
/// summary a validation worker made is then compared with the one of the profile loaded
/// again, so that a file edited in between is refused, never planned half old, half new.
public struct ProfileSummary: Sendable, Equatable {
    /// How the summary refers to another profile: the kind and the target, without the
    /// place (which only validation reports).
    public struct Reference: Sendable, Equatable {
        // The target first: 17 bytes, so that the kind sits in the target's padding.
        public var target: String
        public var kind: ChatLaunchProfile.Reference.Kind

        public init(kind: ChatLaunchProfile.Reference.Kind, target: String) {
            self.kind = kind
            self.target = target
        }
    }

    /// A summary's references, in the profile's order: the first held in the summary, the
    /// others (and the rare fields) behind one reference. Most profiles refer to none or to
    /// one (a `dependsOn`), which an array of their own made 64 bytes on the heap each
    /// (4.6 MB of a plan of 100,000 profiles).
    public struct References: RandomAccessCollection, Sendable, Equatable, ExpressibleByArrayLiteral {
        fileprivate var first: Reference?
        fileprivate var rest: [Reference]

        public init(_ references: some Sequence<Reference>) {
            var iterator = references.makeIterator()
            first = iterator.next()
            rest = Array(IteratorSequence(iterator))
        }

        public init(arrayLiteral references: Reference...) {
            self.init(references)
        }

        public var startIndex: Int { 0 }
        public var endIndex: Int { first == nil ? 0 : 1 + rest.count }

        public subscript(position: Int) -> Reference {
            // `first` is set whenever `position` is in bounds.
            position == 0 ? first! : rest[position - 1]
        }
    }

    /// The fields few profiles set, behind one reference (`nil` when all are unset).
    private final class Rare: Sendable {
        let moreReferences: [Reference]
        let clientToken: String?
        /// The location, when its line does not fit in 32 bits or its column in 16.
        let wideLocation: SourceLocation?
        /// The digest, when it is not one ``digestWords`` can hold (`sha256:` and its bytes).
        let otherDigest: HexDigestText?

        init?(moreReferences: [Reference], clientToken: String?, wideLocation: SourceLocation?, otherDigest: HexDigestText?) {
            guard !moreReferences.isEmpty || clientToken != nil || wideLocation != nil || otherDigest != nil else { return nil }
            self.moreReferences = moreReferences
            self.clientToken = clientToken
            self.wideLocation = wideLocation
            self.otherDigest = otherDigest
        }
    }

    /// The file a profile is written in and its declared region, which the profiles of one
    /// file nearly always share: one object for a run of profiles with the same two, where
    /// each summary held 32 bytes of them.
    private final class Origin: Sendable {
        let file: String
        let region: String?

        init(file: String, region: String?) {
            self.file = file
            self.region = region
        }

        /// Whether this is the origin of a profile written in `file` with `region`, byte for
        /// byte (``ExactlyComparable``: a `String`'s `==` holds canonically equivalent text equal).
        func isOrigin(file: String, region: String?) -> Bool {
            self.file.isExactly(file) && self.region.isExactly(region)
        }
    }

    // The stored fields, in the order they lie in memory: 96 bytes without padding, the
    // line, the column, the first reference's kind and the policy after the digest's 32
    // (128 when the file and the region were held here).
    public let name: String
    public let labels: [String: String]
    private let origin: Origin
    private let rare: Rare?
    private let firstReferenceTarget: String?
    /// The profile's digest (``LaunchRequest/digest(of:projectRegion:)``) as the four words
    /// of its bytes, when it is `sha256:` and those (it always is: the planner makes it).
    private let digestWords: (UInt64, UInt64, UInt64, UInt64)
    private let line: UInt32
    private let column: UInt16
    /// The first reference's kind (any, when there is none).
    private let firstReferenceKind: ChatLaunchProfile.Reference.Kind
    public let relaunch: ChatLaunchProfile.RelaunchPolicy

    /// The summary of `profile`, its digest and region with the project's region `projectRegion`.
    /// - Parameter previous: the summary of the profile before it, whose file and region it
    ///   shares when they are the same.
    public init(_ profile: ChatLaunchProfile, projectRegion: String?, after previous: ProfileSummary? = nil) {
        self.init(
            name: profile.name, labels: profile.labels, location: profile.location,
            region: LaunchRequest.declaredRegion(of: profile, projectRegion: projectRegion), references: profile.references,
            relaunch: profile.relaunch, clientToken: profile.clientToken, request: profile.request, after: previous)
    }

    /// The summary of a profile given by its parts (what validation reads of its JSON, before
    /// or without building it whole): `region` is its declared region
    /// (``LaunchRequest/declaredRegion(of:projectRegion:)``), `request` its unresolved request.
    init(
        name: String, labels: [String: String], location: SourceLocation, region: String?,
        references: [ChatLaunchProfile.Reference], relaunch: ChatLaunchProfile.RelaunchPolicy, clientToken: String?,
        request: StartChatContactRequest, after previous: ProfileSummary?
    ) {
        self.name = name
        self.labels = labels
        if let previous, previous.origin.isOrigin(file: location.file, region: region) {
            origin = previous.origin
        } else {
            origin = Origin(file: location.file, region: region)
        }
        let narrow = (line: UInt32(exactly: location.line), column: UInt16(exactly: location.column))
        line = narrow.line ?? 0
        column = narrow.column ?? 0
        firstReferenceTarget = references.first?.target
        firstReferenceKind = references.first?.kind ?? .dependsOn
        self.relaunch = relaunch
        let digest = LaunchRequest.storedDigest(of: request, region: region)
        var otherDigest: HexDigestText? = digest
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        if let compact = digest.words, compact.prefixed {
            words = (compact.0, compact.1, compact.2, compact.3)
            otherDigest = nil
        }
        digestWords = words
        rare = Rare(
            moreReferences: references.dropFirst().map { Reference(kind: $0.kind, target: $0.target) },
            clientToken: clientToken,
            wideLocation: narrow.line == nil || narrow.column == nil ? location : nil,
            otherDigest: otherDigest)
    }

    /// ``LaunchRequest/declaredRegion(of:projectRegion:)``.
    public var region: String? { origin.region }

    /// Whether this summary and `other` hold their file and region in one object.
    func sharesOrigin(with other: ProfileSummary) -> Bool { origin === other.origin }

    /// The profile's digest (``LaunchRequest/digest(of:projectRegion:)``), as its bytes.
    var storedDigest: HexDigestText {
        rare?.otherDigest ?? HexDigestText(words: digestWords, prefixed: true)
    }

    /// Where the profile's document starts; its file is the one loaded again.
    public var location: SourceLocation {
        rare?.wideLocation ?? SourceLocation(file: origin.file, line: Int(line), column: Int(column))
    }

    /// The profile's references to others, in its order.
    public var references: References {
        var references = References([])
        references.first = firstReferenceTarget.map { Reference(kind: firstReferenceKind, target: $0) }
        references.rest = rare?.moreReferences ?? []
        return references
    }

    /// `spec.clientToken`, the token chosen by hand, when set.
    public var clientToken: String? { rare?.clientToken }

    /// The profile's digest, `sha256:` and 64 hex digits.
    public var digest: String { storedDigest.text }

    public static func == (left: ProfileSummary, right: ProfileSummary) -> Bool {
        left.name == right.name && left.labels == right.labels && left.location == right.location
            && left.region == right.region && left.references == right.references && left.clientToken == right.clientToken
            && left.storedDigest == right.storedDigest && left.relaunch == right.relaunch
    }
}
