import Foundation
import Testing
@testable import Networks

@Suite struct LearningRateScheduleTests {
    @Test func constantStaysAtBase() {
        #expect((0..<5).map { LearningRateSchedule.constant.learningRate(at: $0, base: 0.01) } == [0.01, 0.01, 0.01, 0.01, 0.01])
    }

    @Test func cosineFollowsCosineAnnealingLR() {
        let schedule = LearningRateSchedule.cosine(steps: 10, minimum: 0.001)
        // η_min + (η − η_min)(1 + cos(π t / 10)) / 2 with η = 0.1, η_min = 0.001
        let expected: [Int: Double] = [0: 0.1, 3: 0.0795954, 5: 0.0505, 10: 0.001, 12: 0.001]
        for (t, value) in expected {
            let lr = schedule.learningRate(at: t, base: 0.1)
            #expect(abs(lr - value) < 1e-7, "step \(t): \(lr) vs \(value)")
        }
    }

    @Test func warmupRisesLinearlyThenCosineStartsAtBase() {
        let schedule = LearningRateSchedule(shape: .cosine, warmupSteps: 2, warmupStartFactor: 0.5, totalSteps: 12)
        let values = (0..<4).map { schedule.learningRate(at: $0, base: 0.1) }
        #expect(abs(values[0] - 0.05) < 1e-12 && abs(values[1] - 0.075) < 1e-12, "warm-up \(values)")
        #expect(abs(values[2] - 0.1) < 1e-12, "cosine starts at base: \(values)")
        #expect(abs(values[3] - 0.1 * (1 + cos(Double.pi / 10)) / 2) < 1e-12, "cosine after one step: \(values)")
    }

    @Test func scheduleRoundTripsThroughJSON() throws {
        let schedule = LearningRateSchedule(shape: .cosine, warmupSteps: 3, totalSteps: 20, minimumLearningRate: 1e-5)
        let decoded = try JSONDecoder().decode(LearningRateSchedule.self, from: JSONEncoder().encode(schedule))
        #expect(decoded == schedule)
    }
}
