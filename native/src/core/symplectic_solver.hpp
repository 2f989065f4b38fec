// The symplectic (Moebius) solver for one problem: the sweep E5 with re-orthonormalisation every step (§3.2), u_1 by
// E6, P_0 by E7, and the trajectory by the rollout E9 from stored or sqrt(T)-checkpointed sweep states (§3.3).
// Never shooting.
//
// Checkpoints: the rollout goes through segments of L = ceil(sqrt(T)) steps, 1..L, L+1..2L, ..., the last one
// shorter. The sweep runs down from T and keeps the state on entry to the top step of every segment but the first;
// the first segment's states are the last it computes, so it stores them straight into the slots. Each later segment
// is swept again from its checkpoint, so the rollout re-runs T - L steps.
#pragma once

#include "lqr_problem.hpp"
#include "lu.hpp"
#include "reorthonormalise.hpp"
#include "solve_fault.hpp"
#include "symplectic_step.hpp"

namespace ttc::core {
TTC_ISA_BEGIN

// ceil(sqrt(T)), at least 1.
TTC_HD idx checkpoint_interval(idx T) {
    idx L = static_cast<idx>(sqrt_value(static_cast<double>(T)));
    while (L * L < T) ++L;
    while (L > 1 && (L - 1) * (L - 1) >= T) --L;
    return L < 1 ? 1 : L;
}

template <class R>
struct SymplecticWorkspace {
    StepBuffers<R> step;
    R *Y1, *Y2, *y, *Z, *factor, *c, *YB, *RB, *tmp, *h_scratch, *u_scratch, *lambda_scratch;
    int* pivots;
    // Rollout: per-step states (Z_t, Y2_t, y_t, c_t) for `slots` steps, and checkpoints (Y1, Y2, y) on entry to the
    // top step of segments 1, 2, ... (checkpoint j - 1 for segment j).
    idx slots = 0, checkpoints = 0, L = 0;
    R *slot_Z, *slot_Y2, *slot_y, *slot_c, *ck_Y1, *ck_Y2, *ck_y;

    template <class A>
    TTC_HD static SymplecticWorkspace carve(A& arena, const LqrShape& s) {
        SymplecticWorkspace w;
        const idx n = s.n, k = s.k, nn = s.n * s.n;
        w.step = StepBuffers<R>::carve(arena, s);
        w.Y1 = arena.take(nn);
        w.Y2 = arena.take(nn);
        w.y = arena.take(k * n);
        w.Z = arena.take(nn);
        w.factor = arena.take(nn);
        w.c = arena.take(k * n);
        w.YB = arena.take(n * s.m);
        w.RB = arena.take(s.m * n);
        w.tmp = arena.take(n);
        w.h_scratch = arena.take(k * 2 * n);
        w.u_scratch = arena.take(s.m);
        w.lambda_scratch = arena.take(n);
        w.pivots = arena.take_pivots(n * lane_traits<R>::count);
        if (s.trajectory && s.T > 0) {
            w.L = s.full_storage ? s.T : checkpoint_interval(s.T);
            w.slots = w.L;
            w.checkpoints = s.full_storage ? 0 : (s.T - 1) / w.L;
        }
        w.slot_Z = arena.take(w.slots * nn);
        w.slot_Y2 = arena.take(w.slots * nn);
        w.slot_y = arena.take(w.slots * k * n);
        w.slot_c = arena.take(w.slots * k * n);
        w.ck_Y1 = arena.take(w.checkpoints * nn);
        w.ck_Y2 = arena.take(w.checkpoints * nn);
        w.ck_y = arena.take(w.checkpoints * k * n);
        return w;
    }
};

template <class Team, class R, class Steps>
class SymplecticSolver {
public:
    TTC_HD SymplecticSolver(const Team& team, const LqrProblem<R, Steps>& p, const LqrOutputs<R>& out,
                            SymplecticWorkspace<R>& w, bool full)
        : team_(team), p_(p), out_(out), w_(w), full_(full) {}

    TTC_DEVICE_OUT_OF_LINE TTC_HD SolveFault run() {
        const idx n = p_.n, T = p_.T;
        if (T == 0) {
            write_empty_horizon(team_, p_, out_);
            return {};
        }
        if (TTC_SAVED_TOPS && out_.saved.restore) return rollout_from_saved_tops();
        // E5 initial state: Y1 = I, Y2 = Q_T, y = q_T.
        w_.step.load_cost(team_, p_, T);
        each(team_, n * n, [&](idx e) { w_.Y1[e] = e % (n + 1) == 0 ? R(1) : R(0); });
        team_.sync();
        copy(team_, n * n, w_.step.Q, w_.Y2);
        copy(team_, p_.k * n, w_.step.q, w_.y);

        const bool trajectory = out_.wants_trajectory();
        SolveFault f = sweep(T, 1, trajectory ? (full_ ? Record::Slots : Record::Checkpoints) : Record::Decode,
                          out_.P0 != nullptr);
        if (f.failed()) return f;
        if (out_.P0) {
            f = write_P0();
            if (f.failed()) return f;
        }
        if (!trajectory) return {};
        if (full_) return rollout(1, T);
        // The sweep left the first segment's states in the slots; each later one starts from its checkpoint.
        return rollout_by_segments(w_.L, [&](idx j) {
            if (j > 0) restore_checkpoint(j - 1);
            return j > 0;
        });
    }

private:
    enum class Record { Decode, Slots, Checkpoints };

    // The top step of rollout segment j of `every` steps (see the top of this file).
    TTC_HD idx segment_top(idx j, idx every) const { return (j + 1) * every < p_.T ? (j + 1) * every : p_.T; }

    // The rollout segment by segment, `every` steps each: restore(j) puts in place the state on entry to segment j's
    // top step and returns true, then the segment is swept again into the slots; false when they already hold it.
    template <class Restore>
    TTC_HD SolveFault rollout_by_segments(idx every, const Restore& restore) {
        for (idx j = 0; j < saved_segments(p_.T, every); ++j) {
            const idx lo = j * every + 1, hi = segment_top(j, every);
            if (restore(j)) {
                SolveFault f = sweep_segment(hi, lo);
                if (f.failed()) return f;
            }
            SolveFault f = rollout(lo, hi);
            if (f.failed()) return f;
        }
        return {};
    }

    // Runs steps t_from down to t_to from the state on entry to t_from. Advances past t_to only when `finish` (P_0).
    TTC_HD SolveFault sweep(idx t_from, idx t_to, Record record, bool finish) {
        const idx n = p_.n, m = p_.m, k = p_.k;
        for (idx t = t_from; t >= t_to; --t) {
            const idx segment = record == Record::Checkpoints ? (t - 1) / w_.L : -1;
            if (segment > 0 && t == segment_top(segment, w_.L)) save_checkpoint(segment - 1);
            if (TTC_SAVED_TOPS && out_.saved.tops && !out_.saved.restore) {
                const idx every = out_.saved.every, top = (t - 1) / every;
                if (t == segment_top(top, every)) copy_top(true, top);
            }
            w_.step.load_step(team_, p_, t);
            symplectic_prepare(team_, n, m, k, w_.Y1, w_.Y2, w_.step.B, w_.step.rho, w_.step.r, w_.Z, w_.c, w_.YB,
                               w_.RB);
            if (record == Record::Slots) save_slot(t - t_to);
            if (segment == 0) save_slot(t - 1);
            if (t == 1 && record == Record::Decode) {
                SolveFault f = decode_u1();
                if (f.failed()) return f;
            }
            if (t == t_to && !finish) break;
            SolveFault f = advance(t);
            if (f.failed()) return f;
        }
        return {};
    }

    // Re-runs steps hi..lo of a segment from its checkpoint, storing each step's state in a slot.
    TTC_HD SolveFault sweep_segment(idx hi, idx lo) {
        const idx n = p_.n, m = p_.m, k = p_.k;
        for (idx t = hi; t >= lo; --t) {
            w_.step.load_step(team_, p_, t);
            symplectic_prepare(team_, n, m, k, w_.Y1, w_.Y2, w_.step.B, w_.step.rho, w_.step.r, w_.Z, w_.c, w_.YB,
                               w_.RB);
            save_slot(t - lo);
            if (t == lo) break;
            SolveFault f = advance(t);
            if (f.failed()) return f;
        }
        return {};
    }

    // The rollout from the states a forward saved (SavedTops): each segment swept again from its top, then rolled
    // out. The sweep of the whole horizon that run() starts with is skipped; every state is the one it would compute.
    TTC_HD SolveFault rollout_from_saved_tops() {
        return rollout_by_segments(out_.saved.every, [&](idx j) {
            copy_top(false, j);
            return true;
        });
    }

    // Top j of SavedTops: (Y1, Y2, y column 0) saved, or restored with the other affine columns zero.
    TTC_HD void copy_top(bool save, idx j) {
        const idx n = p_.n, nn = n * n;
        R* top = out_.saved.tops + j * saved_top_elements(n);
        if (save) {
            copy(team_, nn, w_.Y1, top);
            copy(team_, nn, w_.Y2, top + nn);
            copy(team_, n, w_.y, top + 2 * nn);
            return;
        }
        copy(team_, nn, top, w_.Y1);
        copy(team_, nn, top + nn, w_.Y2);
        copy(team_, n, top + 2 * nn, w_.y);
        fill(team_, (p_.k - 1) * n, R(0), w_.y + n);
    }

    TTC_HD SolveFault advance(idx t) {
        const idx n = p_.n, k = p_.k;
        const R *Q_prev, *q_prev;
        w_.step.load_previous_cost(team_, p_, t, &Q_prev, &q_prev);
        symplectic_advance(team_, n, k, w_.Y1, w_.Y2, w_.y, w_.step.a, w_.Z, w_.c, Q_prev, q_prev, w_.tmp);
        // Z and factor are free from here to the next step's prepare: the element form stages W in them.
        if (!reorthonormalise_rows(team_, n, w_.Y1, w_.Y2, k, w_.y, w_.tmp, w_.Z, w_.factor))
            return solve_fault(TTC_STATUS_ILL_CONDITIONED, SolveStage::SweepLostRank, t);
        return {};
    }

    // E6: lambda_1 = Z_1^-1 (Y2_1 (A_1 h_0 - c_1) + y_1), u_1 = -R_1^-1 (B_1' lambda_1 + r_1).
    TTC_HD SolveFault decode_u1() {
        const idx n = p_.n, m = p_.m;
        // Z_1 is still needed by advance() when P_0 is requested: factor a copy.
        R* factor = w_.factor;
        copy(team_, n * n, w_.Z, factor);
        if (!lu_factor(team_, n, factor, n, w_.pivots))
            return solve_fault(TTC_STATUS_NOT_CONVEX, SolveStage::DecodeSingular, 1);
        for (idx c = 0; c < p_.k; ++c) {
            R* h = w_.h_scratch + c * 2 * n;
            symplectic_rollout_step(team_, n, m, factor, w_.pivots, w_.Y2, w_.y + c * n, w_.c + c * n, w_.step.a,
                                          w_.step.B, w_.step.rho, w_.step.r + c * m, p_.h0[c], w_.lambda_scratch,
                                          out_.u1[c] ? out_.u1[c] : w_.u_scratch, h, w_.tmp);
        }
        return {};
    }

    // E7: P_0 = Y1^-1 Y2 after the loop.
    TTC_HD SolveFault write_P0() {
        const idx n = p_.n;
        R* factor = w_.factor;
        copy(team_, n * n, w_.Y1, factor);
        if (!lu_factor(team_, n, factor, n, w_.pivots))
            return solve_fault(TTC_STATUS_NOT_CONVEX, SolveStage::FinalSingular, 0);
        copy(team_, n * n, w_.Y2, out_.P0);
        lu_solve(team_, n, factor, n, w_.pivots, n, out_.P0, n);
        symmetrise(team_, n, out_.P0, n);
        return {};
    }

    TTC_HD SolveFault rollout(idx lo, idx hi) {
        const idx n = p_.n, m = p_.m, k = p_.k, nn = n * n;
        for (idx t = lo; t <= hi; ++t) {
            const idx s = t - lo;
            w_.step.load_step(team_, p_, t);
            R* Z = w_.slot_Z + s * nn;
            if (!lu_factor(team_, n, Z, n, w_.pivots))
                return solve_fault(TTC_STATUS_NOT_CONVEX, SolveStage::RolloutSingular, t);
            for (idx c = 0; c < k; ++c) {
                RolloutCursor<R> cur = rollout_cursor(team_, p_, out_, c, t, w_.h_scratch + c * 2 * n, w_.u_scratch,
                                                      w_.lambda_scratch);
                symplectic_rollout_step(team_, n, m, Z, w_.pivots, w_.slot_Y2 + s * nn, w_.slot_y + (s * k + c) * n,
                                              w_.slot_c + (s * k + c) * n, w_.step.a, w_.step.B, w_.step.rho,
                                              w_.step.r + c * m, cur.h_prev, cur.lambda, cur.u, cur.h, w_.tmp);
                finish_rollout_step(team_, p_, out_, c, t, w_.step.a, cur);
            }
        }
        return {};
    }

    TTC_HD void save_slot(idx s) {
        const idx n = p_.n, kn = p_.k * p_.n, nn = n * n;
        copy(team_, nn, w_.Z, w_.slot_Z + s * nn);
        copy(team_, nn, w_.Y2, w_.slot_Y2 + s * nn);
        copy(team_, kn, w_.y, w_.slot_y + s * kn);
        copy(team_, kn, w_.c, w_.slot_c + s * kn);
    }

    TTC_HD void save_checkpoint(idx s) {
        const idx nn = p_.n * p_.n, kn = p_.k * p_.n;
        copy(team_, nn, w_.Y1, w_.ck_Y1 + s * nn);
        copy(team_, nn, w_.Y2, w_.ck_Y2 + s * nn);
        copy(team_, kn, w_.y, w_.ck_y + s * kn);
    }

    TTC_HD void restore_checkpoint(idx s) {
        const idx nn = p_.n * p_.n, kn = p_.k * p_.n;
        copy(team_, nn, w_.ck_Y1 + s * nn, w_.Y1);
        copy(team_, nn, w_.ck_Y2 + s * nn, w_.Y2);
        copy(team_, kn, w_.ck_y + s * kn, w_.y);
    }

    const Team& team_;
    const LqrProblem<R, Steps>& p_;
    const LqrOutputs<R>& out_;
    SymplecticWorkspace<R>& w_;
    bool full_;
};

TTC_ISA_END
}  // namespace ttc::core
