package dev.switchboard.rpc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class WorkersTest {

    @Test
    void waitingCallsRunLightestClientFirstThenInArrivalOrder() throws Exception {
        Workers workers = new Workers(1, 0); // no client is light: one queue
        try {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            workers.execute(Workers.task(1000, () -> {
                busy.countDown();
                await(release);
            }));
            assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
            List<String> ran = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(5);
            for (String name : new String[] {"heavy-a:100", "heavy-b:100", "light:1", "middle:50", "heavy-c:100"}) {
                int load = Integer.parseInt(name.substring(name.indexOf(':') + 1));
                workers.execute(Workers.task(load, () -> {
                    ran.add(name.substring(0, name.indexOf(':')));
                    done.countDown();
                }));
            }
            release.countDown();
            assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
            assertThat(ran).containsExactly("light", "middle", "heavy-a", "heavy-b", "heavy-c");
        } finally {
            workers.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aLightClientsCallRunsWhileEverySharedThreadIsBusy() throws Exception {
        Workers workers = new Workers(2, 5);
        CountDownLatch release = new CountDownLatch(1);
        try {
            CountDownLatch busy = new CountDownLatch(2);
            for (int i = 0; i < 3; i++) {
                workers.execute(Workers.task(100, () -> {
                    busy.countDown();
                    await(release);
                }));
            }
            assertThat(busy.await(5, TimeUnit.SECONDS)).isTrue();
            CountDownLatch light = new CountDownLatch(1);
            workers.execute(Workers.task(1, light::countDown));
            assertThat(light.await(5, TimeUnit.SECONDS)).as("ran beside the heavy calls").isTrue();
        } finally {
            release.countDown();
            workers.shutdownNow();
        }
    }

    @Test
    void newSettingsApplyToThePoolsInPlaceSoThatNoCallIsTurnedAway() throws Exception {
        Workers workers = new Workers(1, 0);
        CountDownLatch release = new CountDownLatch(1);
        try {
            workers.resize(3, 0);
            CountDownLatch running = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                workers.execute(Workers.task(100, () -> {
                    running.countDown();
                    await(release);
                }));
            }
            assertThat(running.await(5, TimeUnit.SECONDS)).as("three calls at once after growing to three").isTrue();
            workers.resize(1, 0);
            CountDownLatch after = new CountDownLatch(1);
            workers.execute(Workers.task(100, after::countDown));
            release.countDown();
            assertThat(after.await(5, TimeUnit.SECONDS)).as("taken and run after shrinking").isTrue();
        } finally {
            release.countDown();
            workers.shutdownNow();
        }
    }
}
