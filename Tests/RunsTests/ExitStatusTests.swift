import CoverAnalysis
import Foundation
import Imaging
import Reports
import Runs
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Every command maps errors to the same exit statuses (`coverlens --help` lists them).
@Suite struct ExitStatusTests {
    private func expectStatus(_ error: Error, _ status: Int32, containing text: String? = nil,
                              sourceLocation: SourceLocation = #_sourceLocation) {
        let (got, message) = ExitStatus.classify(error)
        #expect(got == status, "\(error) → \(got) (\(message)), expected \(status)", sourceLocation: sourceLocation)
        if let text { #expect(message.contains(text), "message: \(message)", sourceLocation: sourceLocation) }
    }

    @Test func inputProblemsAreFour() {
        expectStatus(ImageFolder.FolderError.missing("/no/such/folder"), ExitStatus.badInput, containing: "/no/such/folder")
    }

    /// Issue 16: a bad option value is a usage error (64) naming the flag, wherever it is found.
    @Test func badOptionValuesAreSixtyFourAndNameTheFlag() {
        expectStatus(ScoreRequest.RequestError.badTopK(0), ExitStatus.usage, containing: "--top-k")
        var config = TrainingConfig()
        config.epochs = 0
        #expect(throws: TrainingConfigError.self) { try config.validate() }
        do { try config.validate() } catch { expectStatus(error, ExitStatus.usage, containing: "--epochs must be at least 1, got 0") }
        config.epochs = 3
        config.validationSplit = 1.5
        do { try config.validate() } catch { expectStatus(error, ExitStatus.usage, containing: "--val-split") }
        let overlap = InputOverlap.OverlapError(first: ("--popular", "a"), second: ("--candidates", "a"), same: true)
        expectStatus(overlap, ExitStatus.usage, containing: "--popular and --candidates are the same folder")
    }

    @Test func modelProblemsAreFive() {
        expectStatus(CoverModel.ModelError.missing(path: "/m.safetensors"), ExitStatus.badModel, containing: "/m.safetensors")
        expectStatus(CoverEvaluator.EvaluationError.noHead(model: "base"), ExitStatus.badModel)
    }

    @Test func writeProblemsAreSixAndSayWhatToDo() {
        let full = CocoaError(.fileWriteOutOfSpace, userInfo: [NSFilePathErrorKey: "/out/results.json"])
        expectStatus(full, ExitStatus.cannotWrite, containing: "/out/results.json: cannot be written because the disk is full")
        expectStatus(ReportError.writeFailed(path: "/out/report.pdf", reason: String(cString: strerror(ENOSPC))),
                     ExitStatus.cannotWrite, containing: "disk is full")
        expectStatus(CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: "/locked"]), ExitStatus.cannotWrite,
                     containing: "/locked")
        expectStatus(POSIXError(.EROFS), ExitStatus.cannotWrite, containing: "read-only")
    }

    @Test func anythingElseIsOne() {
        struct Odd: Error, CustomStringConvertible { var description: String { "something odd" } }
        expectStatus(Odd(), ExitStatus.failure, containing: "something odd")
    }

    @Test func skippedFilesMakeAFinishedRunThree() {
        #expect(ExitStatus.finished(skipped: []) == 0)
        #expect(ExitStatus.finished(skipped: [SkippedFile(folder: "popular", file: "a.jpg", reason: "truncated")]) == ExitStatus.skippedFiles)
    }
}
