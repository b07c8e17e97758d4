package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import dev.switchboard.rpc.internal.CallBudget.Admission;

class CallBudgetTest {

    @Test
    void aClientIsRefusedBeyondItsBoundAndAdmittedOnceItsCallsAreAnswered() {
        CallBudget budget = new CallBudget(10, 1000);
        assertThat(budget.tryAcquire("a", 10)).isEqualTo(Admission.ADMITTED);
        assertThat(budget.tryAcquire("a", 1)).isEqualTo(Admission.REFUSED);
        assertThat(budget.tryAcquire("a", 1)).isEqualTo(Admission.REFUSED_AGAIN);
        assertThat(budget.whyRefused("a", 1)).contains("10 calls in progress", "maxCallsPerClient 10");
        assertThat(budget.tryAcquire("b", 10)).as("another client is not held up").isEqualTo(Admission.ADMITTED);
        budget.release("a", 4);
        assertThat(budget.inProgress("a")).isEqualTo(6);
        assertThat(budget.tryAcquire("a", 4)).isEqualTo(Admission.ADMITTED);
        assertThat(budget.tryAcquire("a", 1)).as("refused again after an admission: a new first refusal")
                .isEqualTo(Admission.REFUSED);
    }

    @Test
    void theTotalIsNeverExceededAndItsLastQuarterIsForLightClients() {
        CallBudget budget = new CallBudget(100, 400);
        assertThat(budget.tryAcquire("heavy1", 100)).isEqualTo(Admission.ADMITTED);
        assertThat(budget.tryAcquire("heavy2", 100)).isEqualTo(Admission.ADMITTED);
        assertThat(budget.tryAcquire("heavy3", 100)).isEqualTo(Admission.ADMITTED);
        assertThat(budget.tryAcquire("heavy4", 100)).as("beyond three quarters").isNotEqualTo(Admission.ADMITTED);
        assertThat(budget.tryAcquire("heavy4", 11)).as("11 is not light for a bound of 100").isNotEqualTo(Admission.ADMITTED);
        for (int i = 0; i < 10; i++) {
            assertThat(budget.tryAcquire("light" + i, 10)).isEqualTo(Admission.ADMITTED);
        }
        assertThat(budget.inProgress()).isEqualTo(400);
        assertThat(budget.tryAcquire("light10", 1)).isNotEqualTo(Admission.ADMITTED);
        assertThat(budget.whyRefused("light10", 1)).contains("400 calls in progress", "maxCallsInProgress 400");
        budget.release("heavy1", 100);
        assertThat(budget.inProgress("heavy1")).isZero();
        assertThat(budget.inProgress()).isEqualTo(300);
        assertThat(budget.tryAcquire("light10", 1)).isEqualTo(Admission.ADMITTED);
    }

    @Test
    void newLimitsApplyToNewAdmissions() {
        CallBudget budget = new CallBudget(10, 100);
        assertThat(budget.tryAcquire("a", 8)).isEqualTo(Admission.ADMITTED);
        budget.limits(5, 100);
        assertThat(budget.tryAcquire("a", 1)).isNotEqualTo(Admission.ADMITTED);
        budget.release("a", 8);
        assertThat(budget.tryAcquire("a", 5)).isEqualTo(Admission.ADMITTED);
    }
}
