import Foundation
import Testing
@testable import ChatctlCore

/// Validated profiles from YAML text (one file), for planner tests.
func profiles(_ yaml: String) throws -> [ChatLaunchProfile] {
    let folder = try TemporaryFolder()
    let path = try folder.write("profiles.yaml", yaml)
    let result = try ProfileValidator().validate(ProfileLoader().load(paths: [path]))
    guard result.isValid else {
        throw PlanningFixtureError(description: result.diagnostics.map(\.text).joined(separator: "\n"))
    }
    return result.profiles
}

struct PlanningFixtureError: Error, CustomStringConvertible { var description: String }

/// A profile document with the required fields and `extra` spec lines.
func profileYAML(_ name: String, _ extra: String = "") -> String {
    """
    apiVersion: chatctl/v1
    kind: ChatLaunchProfile
    metadata: {name: \(name), labels: {team: \(name.hasPrefix("a") ? "care" : "sales")}}
    spec:
      instance: 12345678-1234-1234-1234-123456789012
      flow: 846ec553-a005-41c0-8341-0123456789ab
      participant: {displayName: Customer \(name)}
    \(extra.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    """
}

let fixedNow = Date(timeIntervalSince1970: 1_795_000_000)

/// The plan of `yaml` (one file) made both ways: from the full profiles, as apply and the
/// JSON plan make it, and from summaries with the profiles of changing calls loaded again,
/// as `plan`'s text output makes it. Expects the two to agree in everything but the
/// unchanged calls' definitions (which a plan from summaries does not load) and returns the
/// first; when one throws, expects the other to throw the same.
/// - Parameter reloaded: set to the names the plan from summaries (none kept whole) asked
///   to load again.
func planBothWays(
    _ yaml: String, lockfile: Lockfile, options: PlanOptions = PlanOptions(), now: Date = fixedNow,
    reloaded: ((Set<String>) -> Void)? = nil,
    sourceLocation: Testing.SourceLocation = #_sourceLocation
) throws -> Plan {
    let folder = try TemporaryFolder()
    let path = try folder.write("profiles.yaml", yaml)
    let validator = try ProfileValidator()
    let full = validator.validate(paths: [path])
    guard full.isValid else {
        throw PlanningFixtureError(description: full.diagnostics.map(\.text).joined(separator: "\n"))
    }
    let fromProfiles = Result { () throws(PlanError) in
        try Planner().plan(full.profiles, lockfile: lockfile, options: options, now: now)
    }
    // From summaries twice: keeping whole the profiles whose calls will need them (as
    // `plan` does once it has read the lockfile), and keeping none (as before it has).
    let needed: @Sendable (ProfileSummary) -> Bool = { [lockfile, options] summary in
        Planner.mayNeedDefinition(summary, entry: lockfile.entries[summary.name], options: options)
    }
    for (index, retention) in [ProfileValidator.Retention.summaries(keepingWhole: needed), .summaries].enumerated() {
        let summarised = validator.validate(ProfileLoader().discover(paths: [path]), searched: [path], keeping: retention)
        #expect(summarised.profiles.isEmpty, sourceLocation: sourceLocation)
        #expect(summarised.summaries == full.profiles.map { ProfileSummary($0, projectRegion: nil) }, sourceLocation: sourceLocation)
        let reloader = try #require(summarised.reloader, sourceLocation: sourceLocation)
        var names = Set<String>()
        let fromSummaries = Result { () throws(PlanError) in
            try Planner().plan(
                summaries: summarised.summaries, projectRegion: summarised.summaryProjectRegion, lockfile: lockfile,
                options: options, now: now, reload: { wanted in
                    names.formUnion(wanted.map(\.name))
                    return reloader.profiles(wanted)
                })
        }
        if index == 1 { reloaded?(names) }
        switch (fromProfiles, fromSummaries) {
        case (.success(let plan), .success(let other)):
            expectSame(plan, other, sourceLocation: sourceLocation)
        case (.failure(let error), .failure(let other)):
            #expect(error.diagnostic.text == other.diagnostic.text, sourceLocation: sourceLocation)
        case (.success, .failure(let error)):
            Issue.record("planned from profiles, but from summaries: \(error.diagnostic.text)", sourceLocation: sourceLocation)
        case (.failure(let error), .success):
            Issue.record("planned from summaries, but from profiles: \(error.diagnostic.text)", sourceLocation: sourceLocation)
        }
    }
    return try fromProfiles.get()
}

/// Expects `summarised` (a plan from summaries) to say what `plan` says, call by call.
func expectSame(_ plan: Plan, _ summarised: Plan, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
    #expect(plan.inputsDigest == summarised.inputsDigest, sourceLocation: sourceLocation)
    #expect(plan.lockfileSerial == summarised.lockfileSerial, sourceLocation: sourceLocation)
    #expect(plan.calls.count == summarised.calls.count, sourceLocation: sourceLocation)
    for (call, other) in zip(plan.calls, summarised.calls) {
        #expect(describe(call) == describe(other), sourceLocation: sourceLocation)
        // An unchanged call shows no request: a plan from summaries loads its profile again
        // only when a reference could have made it change.
        if call.action == .unchanged, other.definition == nil { continue }
        // A removed profile's call has none either way.
        if call.definition == nil {
            #expect(other.definition == nil, sourceLocation: sourceLocation)
            continue
        }
        #expect(other.definition != nil, "\(other.profile): its call shows a request", sourceLocation: sourceLocation)
        #expect(call.persistenceFrom == other.persistenceFrom, sourceLocation: sourceLocation)
        #expect(call.relatedContactFrom == other.relatedContactFrom, sourceLocation: sourceLocation)
        #expect(call.request == other.request, sourceLocation: sourceLocation)
        #expect(call.definition?.members == other.definition?.members, sourceLocation: sourceLocation)
        #expect(call.definition?.instance == other.definition?.instance, sourceLocation: sourceLocation)
        #expect(call.definition?.durationMinutes == other.definition?.durationMinutes, sourceLocation: sourceLocation)
        #expect((call.definition?.verify == nil) == (other.definition?.verify == nil), sourceLocation: sourceLocation)
    }
}

/// Everything a call says but its definition, as text.
private func describe(_ call: PlannedCall) -> String {
    let changes = call.changes.map(\.summary).joined(separator: ", ")
    return [
        call.profile, call.action.rawValue, call.reason, call.dependsOn.joined(separator: ","), call.region ?? "-",
        call.location.map { "\($0)" } ?? "-", call.digest ?? "-", call.generation.map(String.init) ?? "-",
        call.clientToken ?? "-", call.waitingFor ?? "-", call.knownAfterApply.joined(separator: ","),
        call.stopContactID ?? "-",
        call.launch.map { "\($0.replacing.map { "\($0)" } ?? "-")" } ?? "-", changes,
    ].joined(separator: " | ")
}
