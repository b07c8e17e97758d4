package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class CallBudgetTest {

    @Test
    void aClientIsRefusedBeyondItsBoundAndAdmittedOnceItsCallsAreAnswered() {
        CallBudget budget = new CallBudget(10, 1000);
        assertThat(budget.tryAcquire("a", 10)).isTrue();
        assertThat(budget.tryAcquire("a", 1)).isFalse();
        assertThat(budget.whyRefused("a", 1)).contains("10 calls in progress", "maxCallsPerClient 10");
        assertThat(budget.tryAcquire("b", 10)).as("another client is not held up").isTrue();
        budget.release("a", 4);
        assertThat(budget.inProgress("a")).isEqualTo(6);
        assertThat(budget.tryAcquire("a", 4)).isTrue();
        assertThat(budget.tryAcquire("a", 1)).isFalse();
    }

    @Test
    void theTotalIsNeverExceededAndItsLastQuarterIsForLightClients() {
        CallBudget budget = new CallBudget(100, 400);
        assertThat(budget.tryAcquire("heavy1", 100)).isTrue();
        assertThat(budget.tryAcquire("heavy2", 100)).isTrue();
        assertThat(budget.tryAcquire("heavy3", 100)).isTrue();
        assertThat(budget.tryAcquire("heavy4", 100)).as("beyond three quarters").isFalse();
        assertThat(budget.tryAcquire("heavy4", 11)).as("11 is not light for a bound of 100").isFalse();
        for (int i = 0; i < 10; i++) {
            assertThat(budget.tryAcquire("light" + i, 10)).isTrue();
        }
        assertThat(budget.inProgress()).isEqualTo(400);
        assertThat(budget.tryAcquire("light10", 1)).isFalse();
        assertThat(budget.whyRefused("light10", 1)).contains("400 calls in progress", "maxCallsInProgress 400");
        budget.release("heavy1", 100);
        assertThat(budget.inProgress("heavy1")).isZero();
        assertThat(budget.inProgress()).isEqualTo(300);
        assertThat(budget.tryAcquire("light10", 1)).isTrue();
    }

    @Test
    void newLimitsApplyToNewAdmissions() {
        CallBudget budget = new CallBudget(10, 100);
        assertThat(budget.tryAcquire("a", 8)).isTrue();
        budget.limits(5, 100);
        assertThat(budget.tryAcquire("a", 1)).isFalse();
        budget.release("a", 8);
        assertThat(budget.tryAcquire("a", 5)).isTrue();
    }

    @Test
    void aClientOverItsOwnBoundIsResumedWhenItsOwnCallsAreReleased() {
        CallBudget budget = new CallBudget(10, 1000);
        List<String> resumed = new ArrayList<>();
        assertThat(budget.tryAcquire("a", 10)).isTrue();
        assertThat(budget.tryAcquire("b", 5)).isTrue();
        assertThat(budget.tryAcquire("a", 1)).isFalse();
        assertThat(budget.holdBack("a", 1, () -> resumed.add("a"))).isTrue();
        budget.release("b", 5);
        assertThat(resumed).as("another client's release does not resume it").isEmpty();
        budget.release("a", 0);
        assertThat(resumed).as("a refusal's answer frees nothing").isEmpty();
        budget.release("a", 3);
        assertThat(resumed).containsExactly("a");
        budget.release("a", 7);
        assertThat(resumed).as("resumed once").containsExactly("a");
    }

    @Test
    void clientsRefusedForTheTotalAreResumedOnePerReleaseInTurnAndAllWhenNothingIsInProgress() {
        CallBudget budget = new CallBudget(100, 400);
        List<String> resumed = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            assertThat(budget.tryAcquire("heavy" + i, 100)).isTrue();
        }
        for (String refused : List.of("x", "y", "z")) {
            assertThat(budget.tryAcquire(refused, 100)).isFalse();
            assertThat(budget.holdBack(refused, 100, () -> resumed.add(refused))).isTrue();
        }
        budget.stopHoldingBack("z");
        budget.release("heavy1", 100);
        assertThat(resumed).containsExactly("x");
        budget.release("heavy2", 100);
        budget.release("heavy3", 100);
        assertThat(resumed).as("a client that is gone is not resumed").containsExactly("x", "y");
    }

    @Test
    void aClientIsNotHeldBackWhenNoCallInProgressCouldMakeRoom() {
        CallBudget budget = new CallBudget(10, 1000);
        assertThat(budget.tryAcquire("a", 11)).isFalse();
        assertThat(budget.holdBack("a", 11, () -> { })).as("larger than its bound, nothing of its own to wait for").isFalse();
        CallBudget empty = new CallBudget(10, 4);
        assertThat(empty.tryAcquire("a", 5)).isFalse();
        assertThat(empty.holdBack("a", 5, () -> { })).as("nothing in progress anywhere").isFalse();
    }
}
