/**
 * Failed updates as the Pulumi CLI prints them, in the providers' words: capacity errors (EC2,
 * spot, GCE with zonesAvailable, TPU, an EC2 Fleet of the component that launched nothing) and
 * quota errors. Shared by the classification and loop tests and the stand-in Pulumi CLI.
 */

/** How the Pulumi CLI prints a resource's error. */
export const diagnostics = (resource: string, message: string) => `Updating (dev):\n\nDiagnostics:\n  ${resource}:\n    error: 1 error occurred:\n    \t* ${message}\n\nResources:\n    + 9 created\n`;

export const EC2_ICE = diagnostics("aws:ec2:Instance (box-vm)", "creating EC2 Instance: operation error EC2: RunInstances, https response error StatusCode: 500, RequestID: 0f6c, api error InsufficientInstanceCapacity: We currently do not have sufficient g6.xlarge capacity in the Availability Zone you requested (us-east-1a). Our system will be working on provisioning additional capacity. You can currently get g6.xlarge capacity by not specifying an Availability Zone in your request or choosing us-east-1b, us-east-1c.");
export const EC2_SPOT = diagnostics("aws:ec2:Instance (box-vm)", "creating EC2 Instance: operation error EC2: RunInstances, api error InsufficientInstanceCapacity: There is no Spot capacity available that matches your request.");
export const EC2_QUOTA = diagnostics("aws:ec2:Instance (box-vm)", "creating EC2 Instance: operation error EC2: RunInstances, api error VcpuLimitExceeded: You have requested more vCPU capacity than your current vCPU limit of 0 allows for the instance bucket that the specified instance type belongs to.");
export const GCE_EXHAUSTED = diagnostics("gcp:compute:Instance (box-vm)", "Error waiting for instance to create: The zone 'projects/p/zones/us-central1-a' does not have enough resources available to fulfill the request.  Try a different zone, or try again later. ZONE_RESOURCE_POOL_EXHAUSTED_WITH_DETAILS {\"vmType\": \"g2-standard-4\", \"zonesAvailable\": \"us-central1-c,us-central1-f\"}");
export const GCE_QUOTA = diagnostics("gcp:compute:Instance (box-vm)", "Error creating instance: googleapi: Error 403: Quota 'NVIDIA_L4_GPUS' exceeded.  Limit: 0.0 in region us-central1., quotaExceeded");
export const TPU_FULL = diagnostics("gcp:tpu:V2Vm (box-tpu)", "Error waiting to create Vm: Error code 8, message: There is no more capacity in the zone \"us-east5-a\"; you can try in another zone where Cloud TPU Nodes are offered (see https://cloud.google.com/tpu/docs/regions) [EID: 0x5e]");
export const FLEET_EMPTY = diagnostics("dstack:index:DevEnvironment (box)", "box: the EC2 Fleet box-fleet launched no instance: insufficient capacity for g6.xlarge, g6.2xlarge in us-east-1a, us-east-1b (or a vCPU quota: the AWS provider does not pass on EC2 Fleet's reasons) [dstack-capacity aws us-east-1 g6.xlarge,g6.2xlarge]. To ask EC2 again: pulumi up --replace 'urn:pulumi:dev::p::dstack:index:DevEnvironment$aws:ec2/fleet:Fleet::box-fleet'; dstack-pulumi up does so and tries the next offers while retry allows");

