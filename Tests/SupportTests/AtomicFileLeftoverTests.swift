import Foundation
import Support
import Testing

/// `AtomicFile.removeAbandonedTemporaries`: a killed writer's hidden `.name.<pid>-<id>.tmp` goes, a
/// live writer's stays, and names without a process id go only once they are an hour old.
@Suite struct AtomicFileLeftoverTests {
    @Test func onlyTemporariesOfEndedWritersAreRemoved() throws {
        let fm = FileManager.default
        let folder = fm.temporaryDirectory.appendingPathComponent("coverlens-leftovers-\(UUID().uuidString)")
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: folder) }
        let target = folder.appendingPathComponent("model.safetensors")
        try AtomicFile.write(Data("complete".utf8), to: target)

        let probe = try ChildProcess(executable: "/bin/true", arguments: [])
        probe.wait()
        let ended = probe.processIdentifier

        let abandoned = [".model.safetensors.\(ended)-1234abcd.tmp", ".model.safetensors.OLD-STYLE-UUID.tmp"]
        let kept = [".model.safetensors.1-1234abcd.tmp",                 // pid 1 is always alive
                    ".model.safetensors.\(getpid())-1234abcd.tmp",       // this process
                    ".model.safetensors.YOUNG-OLD-STYLE.tmp",            // no pid, written just now
                    ".checkpoint.safetensors.\(ended)-1234abcd.tmp"]     // another file's
        for name in abandoned + kept { try Data("torn".utf8).write(to: folder.appendingPathComponent(name)) }
        try fm.setAttributes([.modificationDate: Date().addingTimeInterval(-7200)],
                             ofItemAtPath: folder.appendingPathComponent(abandoned[1]).path)

        AtomicFile.removeAbandonedTemporaries(of: [target])
        let left = Set(try fm.contentsOfDirectory(atPath: folder.path))
        #expect(left == Set(kept + ["model.safetensors"]), "left behind: \(left.sorted())")
        #expect(try Data(contentsOf: target) == Data("complete".utf8))
    }

    @Test func aWritesTemporaryNamesItsProcess() throws {
        // The cleanup relies on the writer's pid in the name; a failed write keeps nothing, so look
        // at the name through a write into a folder that refuses the rename: a folder in place of the file.
        let fm = FileManager.default
        let folder = fm.temporaryDirectory.appendingPathComponent("coverlens-tmpname-\(UUID().uuidString)")
        try fm.createDirectory(at: folder.appendingPathComponent("target/inside"), withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: folder) }
        #expect(throws: AtomicFile.WriteError.self) {
            try AtomicFile.write(Data("x".utf8), to: folder.appendingPathComponent("target"))
        }
        #expect(try fm.contentsOfDirectory(atPath: folder.path) == ["target"], "a failed write left its temporary")
        #expect(TemporaryName.token().hasPrefix("\(getpid())-"))
    }
}
