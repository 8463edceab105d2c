import ChatctlJSON
import Foundation
import Testing
@testable import ChatctlCore

/// Issue 12 item 8: a lockfile belongs to one set of inputs, and another set is refused
/// before it forgets (or stops) the chats it does not read.
@Suite struct LockfileInputsTests {
    static let entry = LockEntry(
        digest: "sha256:" + String(repeating: "a", count: 64), generation: 1, clientToken: "t", status: .started,
        contactId: "c-1")

    struct RootsCase: CustomTestStringConvertible, Sendable {
        var id: String
        var paths: [String]
        var projectFile: String? = nil
        var lockfile: String
        var roots: [String]
        var testDescription: String { id }
    }

    static let rootsCases: [RootsCase] = [
        RootsCase(id: "no path is the current folder", paths: [], lockfile: "chatctl.lock.json", roots: ["."]),
        RootsCase(id: "spellings of one folder", paths: ["./profiles/", "profiles", "profiles/x/.."], lockfile: "chatctl.lock.json", roots: ["profiles"]),
        RootsCase(id: "sorted", paths: ["b", "a/z.yaml", "a"], lockfile: "chatctl.lock.json", roots: ["a", "a/z.yaml", "b"]),
        RootsCase(id: "from the lockfile's folder", paths: ["."], lockfile: "../shared/chatctl.lock.json", roots: ["../repo"]),
        RootsCase(id: "absolute paths", paths: ["/work/repo/profiles"], lockfile: "/work/repo/chatctl.lock.json", roots: ["profiles"]),
        RootsCase(id: "lockfile in a subfolder", paths: [], lockfile: "state/chatctl.lock.json", roots: [".."]),
        RootsCase(id: "the project's folder is its file", paths: ["."], projectFile: "chatctl.yaml", lockfile: "chatctl.lock.json", roots: ["chatctl.yaml"]),
        RootsCase(id: "the project file named", paths: ["chatctl.yaml"], projectFile: "chatctl.yaml", lockfile: "chatctl.lock.json", roots: ["chatctl.yaml"]),
        RootsCase(id: "a subfolder of a project", paths: ["profiles"], projectFile: "chatctl.yaml", lockfile: "chatctl.lock.json", roots: ["profiles"]),
    ]

    /// Run in /work/repo: every spelling of one set gives the same record.
    @Test(arguments: rootsCases)
    func recordsRootsRelativeToTheLockfileNormalisedAndSorted(_ example: RootsCase) {
        let inputs = LockfileInputs(
            paths: example.paths, projectFile: example.projectFile, lockfile: example.lockfile, currentDirectory: "/work/repo")
        #expect(inputs.roots == example.roots)
    }

    @Test func aHandEditedRecordIsReadNormalised() {
        #expect(LockfileInputs(roots: ["b/", "./a", "b"]) == LockfileInputs(roots: ["a", "b"]))
        #expect(LockfileInputs(roots: ["../x/../y"]).roots == ["../y"])
    }

    @Test func refusesAnotherSetNamingBothAndHowToGoOn() {
        let lockfile = Lockfile(serial: 2, inputs: LockfileInputs(roots: ["repo-a"]), entries: ["a": Self.entry])
        let error = lockfile.inputsConflict(with: LockfileInputs(roots: ["repo-b"]), file: "shared/chatctl.lock.json", command: "plan")
        #expect(error?.diagnostic.code == "lockfile.inputs")
        #expect(error?.diagnostic.message
            == "shared/chatctl.lock.json belongs to the inputs [repo-a]; this run reads [repo-b] (paths from the lockfile's folder): planning against it would forget (with prune, stop) the chats of every profile this run does not read")
        #expect(error?.diagnostic.hint
            == "run with the recorded inputs (from shared: chatctl plan repo-a); give these inputs their own lockfile (--lockfile, or the project's spec.lockfile); or, to move the lockfile to these inputs, run again with --adopt-inputs (docs/lockfile.md#the-inputs)")
        #expect(lockfile.inputsConflict(with: LockfileInputs(roots: ["repo-a/"]), file: "l", command: "plan") == nil)
    }

    /// A lockfile written before the record is taken as belonging to whoever writes it next.
    @Test func aLockfileWithoutARecordOrWithoutEntriesGoesWithAnySet() {
        let other = LockfileInputs(roots: ["b"])
        #expect(Lockfile(serial: 1, entries: ["a": Self.entry]).inputsConflict(with: other, file: "l", command: "apply") == nil)
        #expect(Lockfile(serial: 1, inputs: LockfileInputs(roots: ["a"])).inputsConflict(with: other, file: "l", command: "apply") == nil)
    }

    @Test func theRecordRoundTripsAndAnOldLockfileReadsWithoutIt() throws {
        let codec = try LockfileCodec()
        let recorded = Lockfile(serial: 1, endpoint: .aws, inputs: LockfileInputs(roots: ["profiles", "chatctl.yaml"]))
        let bytes = codec.encode(recorded)
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""roots": [\#n      "chatctl.yaml",\#n      "profiles"\#n    ]"#))
        #expect(try codec.decode(bytes, file: "l") == recorded)
        let version2 = #"{"lockfileVersion": 2, "serial": 1, "entries": {}}"#
        #expect(try codec.decode(Array(version2.utf8), file: "l").inputs == nil)
    }

    @Test(arguments: [
        #"{"roots": []}"#, #"{"roots": ["/abs"]}"#, #"{"roots": [""]}"#, #"{"roots": ["a", "a"]}"#, #"{}"#,
        #"{"roots": ["a"], "digest": "x"}"#,
    ])
    func refusesARecordTheSchemaDoesNotAllow(_ record: String) throws {
        let codec = try LockfileCodec()
        let text = #"{"lockfileVersion": 3, "serial": 1, "inputs": \#(record), "entries": {}}"#
        #expect(throws: LockfileError.self) { try codec.decode(Array(text.utf8), file: "l") }
    }
}
