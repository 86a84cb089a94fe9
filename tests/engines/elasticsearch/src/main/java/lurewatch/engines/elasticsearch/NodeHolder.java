package lurewatch.engines.elasticsearch;

import org.junit.Test;
import org.junit.runner.RunWith;

import com.carrotsearch.randomizedtesting.RandomizedRunner;
import com.carrotsearch.randomizedtesting.annotations.ThreadLeakScope;
import com.carrotsearch.randomizedtesting.annotations.Timeout;
import com.carrotsearch.randomizedtesting.annotations.TimeoutSuite;

/** The one "test" that runs the node for as long as the launcher lives (see Launcher.main). */
@RunWith(RandomizedRunner.class)
@ThreadLeakScope(ThreadLeakScope.Scope.NONE)
@TimeoutSuite(millis = Integer.MAX_VALUE)
public class NodeHolder {

    @Test
    @Timeout(millis = Integer.MAX_VALUE)
    public void runNode() throws Exception {
        Launcher.run(Launcher.arguments);
    }
}
