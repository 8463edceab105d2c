import Foundation
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
