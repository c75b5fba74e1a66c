/// The step between a format's decoder and the finished image that decides the colours: with
/// colour management on, an embedded profile converts to sRGB and 16-bit samples are scaled with
/// rounding; off (or with no profile), the pixels stay PIL's.
enum ColourManagement {
    struct Outcome {
        /// The file's readable profile, whether or not it was applied.
        var profile: ColourProfile?
        /// Replacement pixels, or nil to keep ``FormatDecode/image``.
        var image: RGBImage?
        /// The profile converted the pixels to sRGB.
        var applied = false
        var warnings: [String] = []
    }

    static func apply(to decoded: FormatDecode, on: Bool) -> Outcome {
        var outcome = Outcome()
        if let bytes = decoded.iccProfile {
            outcome.profile = ColourProfile(bytes: bytes)
            if outcome.profile == nil {
                outcome.warnings.append("the embedded colour profile (\(bytes.count) bytes) is damaged; it was ignored")
            }
        }
        guard on else { return outcome }
        let image = decoded.image
        let converted: RGBImage? = switch decoded.profileInput {
        case .cmyk(let ink): outcome.profile?.sRGB(fromInk: ink, width: image.width, height: image.height)
        case .rgb(let scaled): outcome.profile?.sRGB(fromRGB: scaled)
        case nil: outcome.profile?.sRGB(fromRGB: image)
        }
        outcome.applied = converted != nil
        if case .rgb(let scaled) = decoded.profileInput { outcome.image = converted ?? scaled } else { outcome.image = converted }
        if let profile = outcome.profile, !outcome.applied {
            outcome.warnings.append("the \(profile.colourSpace) colour profile does not fit this \(decoded.colourModel.rawValue) image; it was ignored")
        }
        return outcome
    }
}
