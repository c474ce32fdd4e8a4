package dev.roleproof.local.runtime;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.lang.reflect.TypeVariable;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The child side of the emulated Lambda Java runtime: one JVM per function, kept warm for the run, with the
 * function's environment and a Lambda-like classpath (this runtime's jars, then classes/ and lib/*).
 *
 * <p>Hand-written because the real aws-lambda-java-runtime-interface-client 2.10.1 cannot run here: its native
 * Runtime API client crashes the JVM (SIGSEGV in NativeClient.next) against a local Runtime API server, and its Java
 * handler loader fails outside its own main (ClassNotFoundException on event classes). What matters for fidelity is
 * kept: the Handler string resolved as Lambda does (Class or Class::method, RequestHandler / RequestStreamHandler /
 * plain method), init once per environment, and events read by aws-lambda-java-serialization, the library the Java
 * runtime uses, so a typed SQSEvent/DynamodbEvent/S3Event is built exactly as in Lambda.
 *
 * <p>Protocol on a loopback socket (stdout and stderr stay the function's log): the child sends "ready" or
 * "init-error" + message; then per invocation the parent sends request id, deadline, function ARN and the payload,
 * and the child answers "ok" or "error" with the response (or Lambda's error JSON). Before answering it prints a
 * marker line so the parent knows every log line of the invocation has arrived.
 */
public final class LocalRuntimeMain {

    /** Printed on stdout after each invocation, followed by the request id. */
    public static final String END_MARKER = "\u001eROLEPROOF-END ";

    private LocalRuntimeMain() {}

    public static void main(String[] args) throws Exception {
        String handler = args[0];
        int port = Integer.parseInt(args[1]);
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            DataInputStream in = new DataInputStream(socket.getInputStream());
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            Invoker invoker;
            boolean snapStart = Boolean.getBoolean(SNAPSTART_PROPERTY);
            try {
                invoker = load(handler);
                if (snapStart) {
                    // Lambda's SnapStart order: init, beforeCheckpoint hooks, snapshot; at a cold start, restore,
                    // afterRestore hooks, invoke. No snapshot is taken here: the same JVM goes on, so what follows is
                    // a restore without the time Lambda spends restoring the snapshot.
                    callCracHooks("beforeCheckpoint");
                }
            } catch (Throwable t) {
                Throwable cause = unwrap(t);
                System.out.println(errorJson(cause));
                System.out.flush();
                out.writeUTF("init-error");
                out.writeUTF(cause.getClass().getName() + ": " + cause.getMessage());
                out.flush();
                return;
            }
            out.writeUTF("ready");
            out.flush();
            if (snapStart) {
                callCracHooks("afterRestore");
            }
            while (true) {
                String requestId;
                try {
                    requestId = in.readUTF();
                } catch (IOException e) {
                    // The Lambda service is gone (run over, or Ctrl-C): end this environment even if the handler left
                    // non-daemon threads behind.
                    System.exit(0);
                    return;
                }
                long deadline = in.readLong();
                String functionArn = in.readUTF();
                byte[] payload = new byte[in.readInt()];
                in.readFully(payload);
                LocalContext context = new LocalContext(requestId, deadline, functionArn);
                String status;
                byte[] response;
                try {
                    response = invoker.invoke(payload, context);
                    status = "ok";
                } catch (Throwable t) {
                    Throwable cause = unwrap(t);
                    // Lambda logs an unhandled exception and returns its error JSON to the caller.
                    String json = errorJson(cause);
                    System.out.println(json);
                    response = json.getBytes(StandardCharsets.UTF_8);
                    status = "error";
                }
                System.err.flush();
                System.out.println(END_MARKER + requestId);
                System.out.flush();
                out.writeUTF(status);
                out.writeInt(response.length);
                out.write(response);
                out.flush();
            }
        }
    }

    /** How one loaded handler is called. */
    interface Invoker {
        byte[] invoke(byte[] payload, Context context) throws Exception;
    }

    /** System property of this JVM that turns on the SnapStart emulation ({@link FunctionRuntime#startPrimed}). */
    static final String SNAPSTART_PROPERTY = "roleproof.snapstart";

    /** The handler's CRaC resources: the handler itself and its instance fields that are org.crac Resources. */
    private static final List<Object> CRAC_RESOURCES = new ArrayList<>();

    /**
     * Calls one CRaC hook on every resource of the handler. Without a CRaC JVM, org.crac keeps no registrations, so
     * the resources are found where CRaC needs them kept anyway (it holds them weakly): the handler object itself, or
     * a field of it. A hook that throws fails the environment, as a failing hook fails Lambda's snapshot or restore.
     */
    private static void callCracHooks(String hook) throws Exception {
        for (Object resource : CRAC_RESOURCES) {
            ClassLoader loader = resource.getClass().getClassLoader();
            Class<?> context = Class.forName("org.crac.Context", false, loader);
            Method m = Class.forName("org.crac.Resource", false, loader).getMethod(hook, context);
            try {
                m.invoke(resource, (Object) null);
            } catch (InvocationTargetException e) {
                throw new IllegalStateException(
                        hook + " hook of " + resource.getClass().getName() + " failed: " + e.getCause(), e.getCause());
            }
        }
    }

    private static void findCracResources(Object instance, ClassLoader loader) throws IllegalAccessException {
        Class<?> resource;
        try {
            resource = Class.forName("org.crac.Resource", false, loader);
        } catch (ClassNotFoundException e) {
            return; // no org.crac in the package: no hooks
        }
        if (resource.isInstance(instance)) {
            CRAC_RESOURCES.add(instance);
        }
        for (Class<?> c = instance.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) || !f.trySetAccessible()) {
                    continue;
                }
                Object value = f.get(instance);
                if (value != null && resource.isInstance(value)) {
                    CRAC_RESOURCES.add(value);
                }
            }
        }
    }

    static Invoker load(String handler) throws Exception {
        String className = handler;
        String methodName = null;
        int sep = handler.indexOf("::");
        if (sep >= 0) {
            className = handler.substring(0, sep);
            methodName = handler.substring(sep + 2);
        }
        ClassLoader loader = ClassLoader.getSystemClassLoader();
        Class<?> type = Class.forName(className, true, loader);
        Object instance = type.getDeclaredConstructor().newInstance();
        if (Boolean.getBoolean(SNAPSTART_PROPERTY)) {
            findCracResources(instance, loader);
        }
        if (instance instanceof RequestStreamHandler && (methodName == null || methodName.equals("handleRequest"))) {
            RequestStreamHandler h = (RequestStreamHandler) instance;
            return (payload, context) -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                h.handleRequest(new ByteArrayInputStream(payload), out, context);
                return out.toByteArray();
            };
        }
        if (instance instanceof RequestHandler && (methodName == null || methodName.equals("handleRequest"))) {
            Type[] io = requestHandlerTypes(type);
            @SuppressWarnings("unchecked")
            RequestHandler<Object, Object> h = (RequestHandler<Object, Object>) instance;
            PojoSerializer<Object> input = serializer(io[0], loader);
            return (payload, context) -> write(io[1], h.handleRequest(read(input, payload), context), loader);
        }
        if (methodName == null) {
            throw new NoSuchMethodException(className + " implements neither RequestHandler nor RequestStreamHandler");
        }
        Method method = null;
        for (Method m : type.getMethods()) {
            if (m.getName().equals(methodName)
                    && m.getParameterCount() >= 1
                    && m.getParameterCount() <= 3
                    && (method == null || m.getParameterCount() > method.getParameterCount())) {
                method = m;
            }
        }
        if (method == null) {
            throw new NoSuchMethodException(
                    "No public method named " + methodName + " with 1 to 3 parameters in " + className);
        }
        Method m = method;
        Class<?>[] params = m.getParameterTypes();
        if (params[0] == InputStream.class && params.length >= 2 && params[1] == OutputStream.class) {
            return (payload, context) -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                if (params.length == 3) {
                    m.invoke(instance, new ByteArrayInputStream(payload), out, context);
                } else {
                    m.invoke(instance, new ByteArrayInputStream(payload), out);
                }
                return out.toByteArray();
            };
        }
        PojoSerializer<Object> input = serializer(m.getGenericParameterTypes()[0], loader);
        return (payload, context) -> {
            Object event = read(input, payload);
            Object result = params.length == 2 ? m.invoke(instance, event, context) : m.invoke(instance, event);
            return write(m.getGenericReturnType(), result, loader);
        };
    }

    /**
     * The I and O of RequestHandler&lt;I, O&gt;, type variables resolved through the class's superclasses and
     * interfaces (a handler extending a generic base class), as the Java runtime resolves them
     * (aws-lambda-java-runtime-interface-client, EventHandlerLoader.findInterfaceParameters); Object when erased.
     */
    static Type[] requestHandlerTypes(Class<?> type) {
        Type[] found = resolve(type, Map.of());
        return found != null ? found : new Type[] {Object.class, Object.class};
    }

    private static Type[] resolve(Class<?> type, Map<TypeVariable<?>, Type> bindings) {
        List<Type> supertypes = new ArrayList<>(List.of(type.getGenericInterfaces()));
        if (type.getGenericSuperclass() != null) {
            supertypes.add(type.getGenericSuperclass());
        }
        for (Type t : supertypes) {
            Class<?> raw = t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) t;
            Map<TypeVariable<?>, Type> next = new HashMap<>();
            if (t instanceof ParameterizedType p) {
                TypeVariable<?>[] variables = raw.getTypeParameters();
                Type[] arguments = p.getActualTypeArguments();
                for (int i = 0; i < variables.length; i++) {
                    next.put(variables[i], bindings.getOrDefault(arguments[i], arguments[i]));
                }
            }
            if (raw == RequestHandler.class) {
                TypeVariable<?>[] io = RequestHandler.class.getTypeParameters();
                return new Type[] {erased(next.get(io[0])), erased(next.get(io[1]))};
            }
            Type[] found = resolve(raw, next);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static Type erased(Type t) {
        return t == null || t instanceof TypeVariable<?> ? Object.class : t;
    }

    @SuppressWarnings("unchecked")
    static PojoSerializer<Object> serializer(Type type, ClassLoader loader) {
        if (type instanceof Class && LambdaEventSerializers.isLambdaSupportedEvent(((Class<?>) type).getName())) {
            return LambdaEventSerializers.serializerFor((Class<Object>) type, loader);
        }
        return JacksonFactory.getInstance().getSerializer(type);
    }

    static Object read(PojoSerializer<Object> serializer, byte[] payload) {
        return serializer.fromJson(new ByteArrayInputStream(payload));
    }

    /** The response as the Java runtime writes it: with the serializer of the declared output type. */
    static byte[] write(Type declared, Object result, ClassLoader loader) {
        if (result == null) {
            return "null".getBytes(StandardCharsets.UTF_8);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        serializer(declared, loader).toJson(result, out);
        return out.toByteArray();
    }

    static Throwable unwrap(Throwable t) {
        Throwable cause = t;
        while ((cause instanceof InvocationTargetException || cause instanceof ExceptionInInitializerError)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Lambda's error shape: {"errorMessage", "errorType", "stackTrace"}. */
    static String errorJson(Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        StringBuilder sb = new StringBuilder("{\"errorMessage\":")
                .append(quote(String.valueOf(t.getMessage())))
                .append(",\"errorType\":")
                .append(quote(t.getClass().getName()))
                .append(",\"stackTrace\":[");
        String[] lines = trace.toString().split("\\R");
        int n = 0;
        for (int i = 1; i < lines.length && n < 20; i++) {
            String line = lines[i].trim();
            if (line.startsWith("at ")) {
                sb.append(n++ == 0 ? "" : ",").append(quote(line.substring(3)));
            }
        }
        return sb.append("]}").toString();
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    /** The Context Lambda passes: ids, names, the remaining time, and a logger on stdout. */
    static final class LocalContext implements Context {
        private final String requestId;
        private final long deadline;
        private final String functionArn;

        LocalContext(String requestId, long deadline, String functionArn) {
            this.requestId = requestId;
            this.deadline = deadline;
            this.functionArn = functionArn;
        }

        @Override
        public String getAwsRequestId() {
            return requestId;
        }

        @Override
        public String getLogGroupName() {
            return System.getenv("AWS_LAMBDA_LOG_GROUP_NAME");
        }

        @Override
        public String getLogStreamName() {
            return System.getenv("AWS_LAMBDA_LOG_STREAM_NAME");
        }

        @Override
        public String getFunctionName() {
            return System.getenv("AWS_LAMBDA_FUNCTION_NAME");
        }

        @Override
        public String getFunctionVersion() {
            return System.getenv("AWS_LAMBDA_FUNCTION_VERSION");
        }

        @Override
        public String getInvokedFunctionArn() {
            return functionArn;
        }

        @Override
        public CognitoIdentity getIdentity() {
            return null;
        }

        @Override
        public ClientContext getClientContext() {
            return null;
        }

        @Override
        public int getRemainingTimeInMillis() {
            return (int) Math.max(0, deadline - System.currentTimeMillis());
        }

        @Override
        public int getMemoryLimitInMB() {
            String mb = System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE");
            return mb == null ? 128 : Integer.parseInt(mb);
        }

        @Override
        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                @Override
                public void log(String message) {
                    System.out.println(message);
                }

                @Override
                public void log(byte[] message) {
                    System.out.println(new String(message, StandardCharsets.UTF_8));
                }
            };
        }
    }
}
