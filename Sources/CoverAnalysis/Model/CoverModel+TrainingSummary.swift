import Foundation

extension CoverModel {
    /// How a CoverLens-trained model was trained, for the report's model table: the mode, epochs
    /// run and kept, and what was chosen from the data and why (`TrainingPlan`, `WeightDecaySearch`,
    /// recorded as `choices`), and the budget if one capped the run. nil for a model CoverLens did
    /// not train.
    public var trainingSummary: String? {
        guard let json = metadata["training"], let config = try? JSONDecoder().decode(TrainingConfig.self, from: Data(json.utf8)) else {
            return nil
        }
        var parts = ["\(config.mode.rawValue) mode, \(config.epochs) epochs" + (metadata["bestEpoch"].map { ", kept epoch \($0)" } ?? "")]
        if let text = metadata["choices"], let choices = try? JSONDecoder().decode([String].self, from: Data(text.utf8)) {
            parts += choices
        } else {
            parts.append("settings as given")
        }
        if let budget = metadata["budget"] { parts.append("budget \(budget)") }
        return parts.joined(separator: "; ")
    }
}
