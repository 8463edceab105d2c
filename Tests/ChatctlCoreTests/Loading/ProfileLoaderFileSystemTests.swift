import Foundation
import Testing
@testable import ChatctlCore

/// The loader's walk through an injected file system: the answers a CI machine running
/// as root cannot give (an unreadable folder), and the symlink rules on a tree held in
/// memory. The same cases run on the real file system in HostileFileSystemTests.
@Suite struct ProfileLoaderFileSystemTests {
    /// A tree in memory: each path's kind, what symlinks resolve to, folder listings.
    struct FakeTree {
        var kinds: [String: InputFileSystem.Kind] = [:]
        var targets: [String: String] = [:]
        var listings: [String: [String]] = [:]
        var unreadable: Set<String> = []

        var fileSystem: InputFileSystem {
            let tree = self
            @Sendable func resolve(_ path: String) -> String {
                // Resolve the longest symlinked prefix, once (enough for these trees).
                for (link, target) in tree.targets where path == link || path.hasPrefix(link + "/") {
                    return target + path.dropFirst(link.count)
                }
                return path
            }
            return InputFileSystem(
                kind: { tree.kinds[$0] ?? .missing },
                targetKind: { path in
                    let kind = tree.kinds[path] ?? .missing
                    guard kind == .symlink else { return kind }
                    let resolved = resolve(path)
                    return resolved == path ? .missing : tree.kinds[resolved] ?? .missing
                },
                contentsOfDirectory: { path in
                    if tree.unreadable.contains(path) { throw CocoaError(.fileReadNoPermission) }
                    return tree.listings[path] ?? []
                },
                realPath: { "/root/" + resolve($0) })
        }
    }

    @Test func anUnreadableFolderIsAnErrorNamingIt() {
        var tree = FakeTree()
        tree.kinds = ["p": .directory, "p/locked": .directory]
        tree.listings = ["p": ["locked"]]
        tree.unreadable = ["p/locked"]
        let discovery = ProfileLoader(fileSystem: tree.fileSystem).discover(paths: ["p"])
        #expect(discovery.diagnostics.map(\.message) == ["p/locked: cannot be read: permission denied"])
        #expect(discovery.diagnostics.map(\.code) == ["file.unreadable"])
    }

    @Test func aSymlinkToAnAncestorIsALoopAndIsNotFollowed() {
        var tree = FakeTree()
        tree.kinds = ["p": .directory, "p/a.yaml": .regular, "p/sub": .directory, "p/sub/up": .symlink]
        tree.targets = ["p/sub/up": "p"]
        tree.listings = ["p": ["a.yaml", "sub"], "p/sub": ["up"]]
        let discovery = ProfileLoader(fileSystem: tree.fileSystem).discover(paths: ["p"])
        #expect(discovery.profileFiles == ["p/a.yaml"])
        #expect(discovery.diagnostics.map(\.code) == ["file.symlink-loop"])
        #expect(discovery.diagnostics.first?.message.hasPrefix("p/sub/up: is a symlink to /root/p,") == true)
    }

    @Test func specialFilesAndDanglingLinksAreErrorsOnlyWhenNamedLikeProfiles() {
        var tree = FakeTree()
        tree.kinds = [
            "p": .directory, "p/fifo.yaml": .special, "p/fifo": .special, "p/gone.yml": .symlink, "p/gone": .symlink,
        ]
        tree.listings = ["p": ["fifo.yaml", "fifo", "gone.yml", "gone"]]
        let discovery = ProfileLoader(fileSystem: tree.fileSystem).discover(paths: ["p"])
        #expect(discovery.diagnostics.map(\.code).sorted() == ["file.dangling-link", "file.not-regular"])
        #expect(discovery.profileFiles.isEmpty)
    }

    @Test func aFileThatIsNotRegularIsNeverOpened() {
        var tree = FakeTree()
        tree.kinds = ["pipe.yaml": .special]
        var input = LoadedInput(project: nil, profiles: [], files: [], diagnostics: [])
        // Opening the real path would fail differently (it does not exist): the type check comes first.
        let documents = ProfileLoader(fileSystem: tree.fileSystem).read("pipe.yaml", into: &input)
        #expect(documents.isEmpty)
        #expect(input.diagnostics.map(\.code) == ["file.not-regular"])
    }
}
