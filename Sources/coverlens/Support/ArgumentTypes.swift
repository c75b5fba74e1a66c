import ArgumentParser
import CoverAnalysis
import Imaging
import Reports

// Option values that parse themselves: ArgumentParser lists the choices in --help and refuses any
// other value with exit 64, naming the flag.

extension ReportLanguage: ExpressibleByArgument {}

extension PaperSize: ExpressibleByArgument {
    /// `A4` and `Letter` are accepted as well as `a4` and `letter`.
    public init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }
}

extension Geometry: ExpressibleByArgument {}
extension TrainingConfig.Mode: ExpressibleByArgument {}
extension TrainingConfig.OptimizerKind: ExpressibleByArgument {}
