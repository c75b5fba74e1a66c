import ArgumentParser
import CoverAnalysis

extension ValidationError {
    /// Runs a library's check of a request in a command's `validate()`: a bad option value or
    /// overlapping input folders become a usage error (exit 64, naming the flag) before any work.
    /// Anything else the check finds is left for the run to report with its own status.
    static func usage(_ check: () throws -> Void) throws {
        do {
            try check()
        } catch let error as TrainingConfigError {
            throw ValidationError(error.usage)
        } catch let error as InputOverlap.OverlapError {
            throw ValidationError(error.description)
        } catch let error as ScoreRequest.RequestError {
            switch error {
            case .badTopK, .badSampleLimit: throw ValidationError(error.description)
            default: throw error
            }
        }
    }
}
