import Foundation
@testable import Support
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A full disk must reach the user as "the disk is full; free some space", not as a Foundation
/// error dump. /dev/full fails every write with ENOSPC, so this runs without root; the CLI's
/// FullDiskErrorTests repeats it end to end on a real, filled tmpfs when it runs as root.
@Suite struct AtomicFileDiskFullTests {
    @Test func aWriteToDevFullIsRecognisedAsAFullDisk() throws {
        let handle = try #require(FileHandle(forWritingAtPath: "/dev/full"), "/dev/full cannot be opened")
        defer { try? handle.close() }
        do {
            try handle.write(contentsOf: Data(count: 4096))
            try handle.synchronize()
            Issue.record("writing to /dev/full should fail")
        } catch {
            let code = POSIXCause.code(of: error)
            #expect(code == ENOSPC, "the POSIX cause of \(error) should be ENOSPC, got \(String(describing: code))")
            #expect(POSIXCause.isDiskFull(code))
        }
    }

    @Test func aFullDiskGivesOneSentenceWithTheRemedy() {
        let error = AtomicFile.WriteError(path: "out/model.safetensors", errno: ENOSPC)
        #expect(error.isDiskFull)
        #expect(error.description == "out/model.safetensors: cannot be written because the disk is full; free some space or choose another output folder")
        #expect(AtomicFile.WriteError(path: "q", errno: EDQUOT).isDiskFull, "a full quota is a full disk to the user")
    }

    @Test func otherFailuresKeepTheirReason() {
        let error = AtomicFile.WriteError(path: "out/model.safetensors", errno: EACCES, context: "cannot create a temporary file in out: ")
        #expect(!error.isDiskFull)
        #expect(error.description.contains("cannot create a temporary file in out: \(String(cString: strerror(EACCES)))"), "\(error)")
    }
}
