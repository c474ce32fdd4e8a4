# sam build for the four functions (Metadata: BuildMethod: makefile, CodeUri: . in template.yaml).
#
# SAM copies CodeUri (the project root) to a scratch directory and runs `make build-<LogicalId>` there with
# ARTIFACTS_DIR set ("Building custom runtimes" in the SAM developer guide). Each target builds its one Maven module
# with the wrapper (the parent POM is in this repository, which SAM's own Maven builder cannot resolve:
# aws-sam-cli#2289), from clean so no stale class ships, and copies the module's Lambda layout into ARTIFACTS_DIR:
# classes at the root and lib/*.jar, which is what the java21 runtime puts on the classpath. Tests are neither
# compiled nor run here (SAM's own Maven builder runs them, and they fail without AWS: aws-sam-cli#1105);
# ./mvnw verify runs them.
#
#   make build-SqsConsumerFunction ARTIFACTS_DIR=/tmp/out            # what sam build runs
#   make build-SqsConsumerFunction ARTIFACTS_DIR=/tmp/out MVN_FLAGS=-o  # offline, reusing ~/.m2
#   make build-all ARTIFACTS_DIR=/tmp/out                              # all four, one subdirectory each

MVN ?= ./mvnw
MVN_FLAGS ?=

# The module each function is built from.
MODULE_SqsConsumerFunction := functions/sqs-consumer
MODULE_DdbStreamProcessorFunction := functions/ddb-stream-processor
MODULE_S3ObjectProcessorFunction := functions/s3-object-processor
MODULE_CrossAccountReaderFunction := functions/cross-account-reader

FUNCTIONS := SqsConsumerFunction DdbStreamProcessorFunction S3ObjectProcessorFunction CrossAccountReaderFunction

.PHONY: $(addprefix build-,$(FUNCTIONS)) build-all

$(addprefix build-,$(FUNCTIONS)): build-%:
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set (sam build sets it)" >&2; exit 2; }
	$(MVN) -B -q $(MVN_FLAGS) -pl $(MODULE_$*) -am clean package -Dmaven.test.skip=true
	mkdir -p "$(ARTIFACTS_DIR)"
	cp -R $(MODULE_$*)/target/lambda/. "$(ARTIFACTS_DIR)/"

build-all:
	@test -n "$(ARTIFACTS_DIR)" || { echo "ARTIFACTS_DIR is not set" >&2; exit 2; }
	$(MVN) -B -q $(MVN_FLAGS) -pl $(subst $(eval) ,$(comma),$(foreach f,$(FUNCTIONS),$(MODULE_$(f)))) -am clean package -Dmaven.test.skip=true
	$(foreach f,$(FUNCTIONS),mkdir -p "$(ARTIFACTS_DIR)/$(f)" && cp -R $(MODULE_$(f))/target/lambda/. "$(ARTIFACTS_DIR)/$(f)/";)

comma := ,
