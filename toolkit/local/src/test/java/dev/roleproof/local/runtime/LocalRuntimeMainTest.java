package dev.roleproof.local.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * How the emulated runtime finds a RequestHandler's input and output types: as the Java runtime does
 * (aws-lambda-java-runtime-interface-client, EventHandlerLoader.findInterfaceParameters), type variables resolved
 * through generic superclasses, so a handler that extends a generic wrapper reads its events as typed ones.
 */
class LocalRuntimeMainTest {

    static class Direct implements RequestHandler<Map<String, String>, String> {
        @Override
        public String handleRequest(Map<String, String> input, Context context) {
            return null;
        }
    }

    abstract static class Wrapper<I> implements RequestHandler<I, Object> {
        @Override
        public Object handleRequest(I input, Context context) {
            return null;
        }
    }

    abstract static class Middle<T> extends Wrapper<List<T>> {}

    static class Concrete extends Wrapper<Integer> {}

    static class Deeper extends Middle<String> {}

    static class Raw extends Wrapper {}

    @Test
    void directTypeArgumentsAreRead() {
        Type[] io = LocalRuntimeMain.requestHandlerTypes(Direct.class);
        assertThat(io[0]).isInstanceOf(ParameterizedType.class);
        assertThat(((ParameterizedType) io[0]).getRawType()).isEqualTo(Map.class);
        assertThat(io[1]).isEqualTo(String.class);
    }

    @Test
    void typeVariablesResolveThroughGenericSuperclasses() {
        assertThat(LocalRuntimeMain.requestHandlerTypes(Concrete.class)).containsExactly(Integer.class, Object.class);
        Type[] deeper = LocalRuntimeMain.requestHandlerTypes(Deeper.class);
        // As in the Java runtime, a variable nested in a type argument (List<T>) stays as it is: the raw type decides.
        assertThat(((ParameterizedType) deeper[0]).getRawType()).isEqualTo(List.class);
    }

    @Test
    void aRawSubclassReadsObjects() {
        assertThat(LocalRuntimeMain.requestHandlerTypes(Raw.class)).containsExactly(Object.class, Object.class);
    }
}
