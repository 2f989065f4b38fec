namespace TtcNative.Reasoning;

/// <summary>How the answers of B independent restarts become one (DESIGN.md §6, breadth).</summary>
public enum AggregationRule { Single, Vote, Converged }

public static class Aggregation
{
    public static string Name(AggregationRule rule) => rule switch
    {
        AggregationRule.Single => "single",
        AggregationRule.Vote => "vote",
        _ => "converged",
    };

    /// <summary>
    /// Plurality vote over whole decoded answers; a tie between equally frequent answers goes to the answer held by
    /// the restart with the lowest residual. Returns the index of the chosen restart (the lowest-residual holder).
    /// </summary>
    public static int Vote(IReadOnlyList<string> answers, IReadOnlyList<double> residuals)
    {
        if (answers.Count == 0 || answers.Count != residuals.Count)
            throw new ArgumentException($"need one residual per answer and at least one answer; got {answers.Count} and {residuals.Count}");
        var best = -1;
        var bestCount = 0;
        var counts = answers.GroupBy(a => a).ToDictionary(g => g.Key, g => g.Count());
        for (var r = 0; r < answers.Count; ++r)
        {
            var count = counts[answers[r]];
            if (count > bestCount || (count == bestCount && residuals[r] < residuals[best]))
            {
                best = r;
                bestCount = count;
            }
        }
        return best;
    }

    /// <summary>"Top-1 converged": the restart with the lowest mean residual over its last 3 steps.</summary>
    public static int Converged(IReadOnlyList<double> meanRecentResiduals)
    {
        if (meanRecentResiduals.Count == 0) throw new ArgumentException("no restarts to choose from");
        var best = 0;
        for (var r = 1; r < meanRecentResiduals.Count; ++r)
            if (meanRecentResiduals[r] < meanRecentResiduals[best]) best = r;
        return best;
    }
}
