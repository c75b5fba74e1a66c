/// The visual knobs that `CoverDesign.quality` turns, shared by every style's painter.
struct CoverLook {
    /// 0…1: how far type and figure are pushed away from the ground colour.
    let contrast: Double
    /// Multiplies every style's title size.
    let titleScale: Double
    /// How many clutter elements (taglines, badges, frames, scattered shapes) to add.
    let clutter: Int
    /// One focal image, or several smaller ones competing for attention.
    let focalCount: Int

    init(quality q: Double, random: inout CoverRandom) {
        contrast = min(max(0.15 + 0.85 * q + 0.06 * random.normal(), 0.12), 1)
        titleScale = 0.35 + q
        clutter = max(0, Int((0.75 - q) * 10 + random.uniform(-1, 1)))
        focalCount = q > random.uniform(0.35, 0.55) ? 1 : random.int(2...4)
    }
}

/// Splits a title into `lines` lines of similar length, at spaces.
func balancedLines(_ text: String, _ lines: Int) -> String {
    let words = text.split(separator: " ").map(String.init)
    guard lines > 1, words.count > 1 else { return text }
    let count = min(lines, words.count)
    let total = words.reduce(0) { $0 + $1.count }
    var result: [String] = [], current: [String] = [], used = 0
    for (i, word) in words.enumerated() {
        current.append(word)
        used += word.count
        let remainingWords = words.count - i - 1
        let remainingLines = count - result.count - 1
        let target = Double(total) * Double(result.count + 1) / Double(count)
        if remainingLines > 0, remainingWords >= remainingLines, Double(used) >= target - 1 || remainingWords == remainingLines {
            result.append(current.joined(separator: " "))
            current = []
        }
    }
    if !current.isEmpty { result.append(current.joined(separator: " ")) }
    return result.joined(separator: "\n")
}
