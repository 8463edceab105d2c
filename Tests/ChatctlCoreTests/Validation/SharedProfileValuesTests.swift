import ChatctlAWS
import Foundation
import Testing
@testable import ChatctlCore

/// The values repeated across a load's profiles are kept once, and only equal values are
/// ever shared: sharing must not make two profiles' different values one.
@Suite struct SharedProfileValuesTests {
    @Test func givesBackEachValueAsItWasGiven() {
        let shared = SharedProfileValues()
        let fields: [Set<[String]>] = [[["instance"]], [["instance"], ["participant", "responseMode"]], [["participant"]]]
        for set in fields + fields { #expect(shared.fields(set) == set) }
        let labels: [[String: String]] = [["team": "a"], ["team": "b"], ["team": "a", "tier": "t0"], [:]]
        for set in labels + labels { #expect(shared.labels(set) == set) }
        let ids = ["12345678-1234-1234-1234-123456789012", "12345678-1234-1234-1234-123456789013", "us-west-2"]
        for id in ids + ids { #expect(shared.string(id) == id) }
        let lists: [[String]] = [["text/plain"], ["text/plain", "text/markdown"], ["text/markdown", "text/plain"], []]
        for list in lists + lists { #expect(shared.list(list) == list) }
    }

    /// Values whose names and scalar members agree (the hash's share of them) but whose
    /// nested values differ stay apart.
    @Test func keepsSegmentAttributesThatDifferOnlyInsideApart() {
        let shared = SharedProfileValues()
        let values: [[String: SegmentAttributeValue]] = [
            ["custom:Tier": .integer(1)],
            ["custom:Tier": .string("1")],
            ["custom:Tier": .map(["level": .integer(1)])],
            ["custom:Tier": .map(["level": .integer(2)])],
            ["custom:Tier": .list([.string("a")])],
            ["custom:Tier": .list([.string("b")])],
            ["custom:Tier": .integer(1), "connect:Subtype": .string("connect:Chat")],
        ]
        for value in values + values + values.reversed() { #expect(shared.segmentAttributes(value) == value) }
    }

    /// Canonically equivalent text is `==` for `String` but not the same bytes, and a
    /// request and its digest are written from the bytes: each value must come back with
    /// exactly its own bytes, whichever came first.
    static let equivalentPairs: [(String, String)] = [
        ("Caf\u{E9}", "Cafe\u{301}"),            // é precomposed, e with a combining accent
        ("\u{D55C}\u{AD6D}", "\u{1112}\u{1161}\u{11AB}\u{1100}\u{116E}\u{11A8}"), // 한국, syllables and jamo
        ("K-tier", "\u{212A}-tier"),              // K and the Kelvin sign
    ]

    @Test(arguments: equivalentPairs)
    func givesBackEquivalentTextWithItsOwnBytes(first: String, second: String) {
        #expect(first == second && !Array(first.utf8).elementsEqual(second.utf8), "the pair is equivalent, not identical")
        let shared = SharedProfileValues()
        func bytes(_ text: String?) -> [UInt8] { Array((text ?? "").utf8) }
        let padding = "-instance-0001"   // over 15 bytes, so the string is shared at all
        for text in [first, second, first, second] {
            #expect(bytes(shared.string(text + padding)) == bytes(text + padding))
            #expect(bytes(shared.labels(["team": text])["team"]) == bytes(text))
            #expect(shared.list([text]).map { bytes($0) } == [bytes(text)])
            #expect(shared.fields([["attributes", text]]).map { $0.map { bytes($0) } } == [[bytes("attributes"), bytes(text)]])
            // Each kind of place on its own, so that no other member tells the two apart.
            let inMap = shared.segmentAttributes(["custom:Note": .map(["inner": .string(text)])])
            #expect(bytes(inMap["custom:Note"]?.valueMap?["inner"]?.valueString) == bytes(text))
            let inList = shared.segmentAttributes(["connect:List": .list([.string(text)])])
            #expect(bytes(inList["connect:List"]?.valueList?.first?.valueString) == bytes(text))
            let asArn = shared.segmentAttributes(["custom:Arn": .arn("arn:" + text)])
            #expect(bytes(asArn["custom:Arn"]?.valueArn) == bytes("arn:" + text))
            let asString = shared.segmentAttributes(["custom:Text": .string(text)])
            #expect(bytes(asString["custom:Text"]?.valueString) == bytes(text))
        }
    }

    /// Two profiles of one load whose segment attributes and instance ids differ only by
    /// being canonically equivalent get the digests they get alone.
    @Test func profilesWithEquivalentTextKeepTheirOwnDigests() throws {
        let folder = try TemporaryFolder()
        try ChatLaunchProfileTests.writeProject(in: folder, participant: "{displayName: Bot}")
        var digests: [String: String] = [:]
        for (label, text) in [("nfc", "Caf\u{E9}"), ("nfd", "Cafe\u{301}")] {
            let alone = try TemporaryFolder()
            try ChatLaunchProfileTests.writeProject(in: alone, participant: "{displayName: Bot}")
            try alone.write("profiles/one.yaml", Self.document(label, text))
            let profile = try #require(try ProfileValidator().validate(paths: [alone.url.path]).profiles.first)
            digests[label] = LaunchRequest.digest(of: profile, projectRegion: nil)
        }
        #expect(digests["nfc"] != digests["nfd"])
        try folder.write("profiles/a.yaml", Self.document("nfc", "Caf\u{E9}") + "---\n" + Self.document("nfd", "Cafe\u{301}"))
        let result = try ProfileValidator().validate(paths: [folder.url.path])
        #expect(result.isValid)
        for profile in result.profiles {
            #expect(LaunchRequest.digest(of: profile, projectRegion: nil) == digests[profile.name], "\(profile.name)")
        }
    }

    static func document(_ name: String, _ text: String) -> String {
        "apiVersion: chatctl/v1\nkind: ChatLaunchProfile\nmetadata: {name: \(name)}\n"
            + "spec: {flow: f-1, instance: \"inst-\(text)-000001\", segmentAttributes: {custom:Note: {valueString: \"\(text)\"}}}\n"
    }

    /// Every kind is shared for profiles that are kept; only labels (which a plan's
    /// summaries keep) when each profile is summarised and dropped.
    @Test func sharesWhatItsScopeSays() {
        func feed(_ shared: SharedProfileValues) {
            for _ in 0..<2 {
                #expect(shared.fields([["instance"]]) == [["instance"]])
                #expect(shared.labels(["team": "a"]) == ["team": "a"])
                #expect(shared.list(["text/plain"]) == ["text/plain"])
                #expect(shared.segmentAttributes(["custom:Tier": .integer(1)]) == ["custom:Tier": .integer(1)])
                #expect(shared.string("12345678-1234-1234-1234-123456789012") == "12345678-1234-1234-1234-123456789012")
            }
        }
        let all = SharedProfileValues()
        feed(all)
        #expect(all.heldCounts == (1, 1, 1, 1, 1))
        let labels = SharedProfileValues(.labels)
        feed(labels)
        #expect(labels.heldCounts == (0, 1, 0, 0, 0))
    }

    /// A file's profiles share through the shard of the file's index: files eight apart
    /// use one table, neighbours two (so the workers checking neighbouring files at one
    /// time never wait for the same lock), and each value comes back as it was given.
    @Test func filesShareThroughTheShardOfTheirIndex() {
        let shared = SharedProfileValues()
        for index in [0, 8, 16] { #expect(shared.shard(index).labels(["team": "a"]) == ["team": "a"]) }
        #expect(shared.heldCounts.labels == 1)
        for index in 1..<SharedProfileValues.shardCount { #expect(shared.shard(index).labels(["team": "a"]) == ["team": "a"]) }
        #expect(shared.heldCounts.labels == SharedProfileValues.shardCount)
        let labels = SharedProfileValues(.labels).shard(3)
        #expect(labels.list(["text/plain"]) == ["text/plain"])
        #expect(labels.labels(["team": "b"]) == ["team": "b"])
        #expect(labels.heldCounts == (0, 1, 0, 0, 0), "a shard keeps its load's scope")
    }

    @Test func givesBackValuesBeyondTheLimitAsTheyAre() {
        let shared = SharedProfileValues()
        for index in 0..<(SharedProfileValues.distinctLimit + 10) {
            let labels = ["index": "\(index)"]
            #expect(shared.labels(labels) == labels)
        }
        #expect(shared.labels(["index": "1"]) == ["index": "1"])
    }

    /// Profiles of one load with labels, segment attributes, fields from the defaults and
    /// instance ARNs alike and unlike: each keeps its own, as written.
    @Test func profilesOfOneLoadKeepTheirOwnValues() throws {
        let folder = try TemporaryFolder()
        try ChatLaunchProfileTests.writeProject(in: folder, participant: "{responseMode: INCREMENTAL, displayName: Bot}")
        let arn = "arn:aws:connect:eu-west-2:123456789012:instance/"
        let specs = [
            "{flow: f-1, segmentAttributes: {custom:Tier: {valueInteger: 1}}}",
            "{flow: f-1, segmentAttributes: {custom:Tier: {valueInteger: 2}}, participant: {displayName: Ann}}",
            "{flow: f-1, segmentAttributes: {custom:Tier: {valueMap: {level: {valueInteger: 1}}}}, contentTypes: [text/plain, text/markdown]}",
            "{flow: f-1, segmentAttributes: {custom:Tier: {valueMap: {level: {valueInteger: 2}}}}, participant: {responseMode: COMPLETE}, "
                + "contentTypes: [text/markdown, text/plain]}",
            "{flow: f-1, instance: \(arn)4a7b2c1d-3e5f-4a6b-8c9d-0e1f2a3b4c5d}",
            "{flow: f-1, instance: \(arn)4a7b2c1d-3e5f-4a6b-8c9d-0e1f2a3b4c5e, participant: {displayName: Ann}}",
        ]
        var documents: [String] = []
        for (index, spec) in specs.enumerated() {
            documents.append(
                "apiVersion: chatctl/v1\nkind: ChatLaunchProfile\nmetadata: {name: p\(index), labels: {team: t\(index % 2)}}\nspec: \(spec)\n")
        }
        try folder.write("profiles/a.yaml", documents[0..<3].joined(separator: "---\n"))
        try folder.write("profiles/b.yaml", documents[3...].joined(separator: "---\n"))
        let result = try ProfileValidator().validate(paths: [folder.url.path])
        #expect(result.isValid)
        let byName = Dictionary(uniqueKeysWithValues: result.profiles.map { ($0.name, $0) })
        let profiles = try (0..<specs.count).map { try #require(byName["p\($0)"]) }
        #expect(profiles.map(\.labels) == (0..<specs.count).map { ["team": "t\($0 % 2)"] })
        #expect(profiles.map(\.request.segmentAttributes) == [
            ["custom:Tier": .integer(1)], ["custom:Tier": .integer(2)],
            ["custom:Tier": .map(["level": .integer(1)])], ["custom:Tier": .map(["level": .integer(2)])], nil, nil,
        ])
        #expect(profiles.map(\.contentTypes) == [
            ["text/plain"], ["text/plain"], ["text/plain", "text/markdown"], ["text/markdown", "text/plain"], ["text/plain"],
            ["text/plain"],
        ])
        #expect(profiles.map(\.request.supportedMessagingContentTypes) == profiles.map(\.contentTypes))
        let all: Set<[String]> = [["instance"], ["participant"], ["participant", "responseMode"], ["participant", "displayName"]]
        #expect(profiles.map(\.fromDefaults) == [
            all, [["instance"], ["participant", "responseMode"]], all, [["participant", "displayName"], ["instance"]],
            [["participant"], ["participant", "responseMode"], ["participant", "displayName"]], [["participant", "responseMode"]],
        ])
        #expect(profiles.map(\.instanceID) == [
            "12345678-1234-1234-1234-123456789012", "12345678-1234-1234-1234-123456789012",
            "12345678-1234-1234-1234-123456789012", "12345678-1234-1234-1234-123456789012",
            "4a7b2c1d-3e5f-4a6b-8c9d-0e1f2a3b4c5d", "4a7b2c1d-3e5f-4a6b-8c9d-0e1f2a3b4c5e",
        ])
        #expect(profiles.map(\.request.instanceId) == profiles.map { $0.instanceID ?? "" })
    }
}
