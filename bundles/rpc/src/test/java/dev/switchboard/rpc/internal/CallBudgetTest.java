package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

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
}
