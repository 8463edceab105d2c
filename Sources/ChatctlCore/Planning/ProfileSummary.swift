/// What the planner reads of a profile to decide its action: its name, labels, place,
/// references, relaunch policy, own client token, region and digest. About 145 bytes where
/// a ``ChatLaunchProfile`` with its request is about a kilobyte (issue 15).
///
/// A plan made from summaries (``Planner/plan(summaries:projectRegion:lockfile:options:now:reload:)``)
/// loads the full profile again only for the calls that send a request or show one; the
/// summary a validation worker made is then compared with the one of the profile loaded
/// again, so that a file edited in between is refused, never planned half old, half new.
public struct ProfileSummary: Sendable, Equatable {
    /// How the summary refers to another profile: the kind and the target, without the
    /// place (which only validation reports).
    public struct Reference: Sendable, Equatable {
        public var kind: ChatLaunchProfile.Reference.Kind
        public var target: String
    }

    public var name: String
    public var labels: [String: String]
    /// Where the profile's document starts; its file is the one loaded again.
    public var location: SourceLocation
    public var references: [Reference]
    /// `spec.clientToken`, the token chosen by hand, when set.
    public var clientToken: String?
    /// ``LaunchRequest/declaredRegion(of:projectRegion:)``.
    public var region: String?
    /// The profile's digest (``LaunchRequest/digest(of:projectRegion:)``), as its bytes.
    var storedDigest: HexDigestText
    // Declared after the digest, whose 33 bytes leave room for it: 136 bytes a summary,
    // not 144 (the order of the declarations is the order in memory).
    public var relaunch: ChatLaunchProfile.RelaunchPolicy

    /// The summary of `profile`, its digest and region with the project's region `projectRegion`.
    public init(_ profile: ChatLaunchProfile, projectRegion: String?) {
        name = profile.name
        labels = profile.labels
        location = profile.location
        references = profile.references.map { Reference(kind: $0.kind, target: $0.target) }
        relaunch = profile.relaunch
        clientToken = profile.clientToken
        region = LaunchRequest.declaredRegion(of: profile, projectRegion: projectRegion)
        storedDigest = LaunchRequest.storedDigest(of: profile.request, region: region)
    }

    /// The profile's digest, `sha256:` and 64 hex digits.
    public var digest: String { storedDigest.text }
}
