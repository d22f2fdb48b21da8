/**
 * The source files the builder reads (in `../shared/catalog-sources`, described in its PROVENANCE.md)
 * and the catalog stamp made from them.
 */
import type { CatalogSource, CatalogStamp } from "../../catalog/types";

/** A source file: its name in the sources folder and what the stamp says of it. */
export interface SourceFile extends CatalogSource {
  file: string;
}

export const SOURCE_FILES = {
  awsInstanceTypes: {
    file: "aws-karpenter-instance-types.csv",
    id: "aws-karpenter-instance-types",
    description: "AWS instance types: vCPUs, memory, arch, GPU name/count/memory, local NVMe (EC2 DescribeInstanceTypes as Karpenter publishes it)",
    data_date: "2026-07-11",
    origin: "github.com/aws/karpenter-provider-aws website/content/en/docs/reference/instance-types.md @ 692ccdd0629e488300821443f0fa0bc3c3e08047",
    license: "Apache-2.0",
  },
  awsOnDemandUsEast1: {
    file: "aws-karpenter-ondemand-us-east-1.csv",
    id: "aws-karpenter-ondemand-us-east-1",
    description: "AWS Linux on-demand prices in us-east-1 for every instance type",
    data_date: "2026-07-20",
    origin: "github.com/aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go @ 6fc13b5236fd04fd16ff3f9dc7490d0813994099",
    license: "Apache-2.0",
  },
  awsGpuPrices: {
    file: "aws-vantage-gpu-prices.csv",
    id: "aws-vantage-gpu-prices",
    description: "AWS GPU instance types: on-demand and minimum spot price per region, Local Zone and Wavelength zone (a few rows dated 2026-01-21)",
    data_date: "2025-11-30",
    origin: "github.com/tsaol/aws-gpu data/gpu_instances_raw.json @ 2d0108c7bd261c8e40493fbd35135437bd6c9099 and data/*_instances.js @ 77fcd9fe1d0652fd07b830e5ed030d61da87923e (ec2instances.info data)",
    license: "none stated (ec2instances.info code MIT; AWS public list prices)",
  },
  awsCpuSamples: {
    file: "aws-skypilot-anycloud-cpu-sample-prices.csv",
    id: "aws-skypilot-anycloud-cpu-sample-prices",
    description: "AWS on-demand and per-AZ spot prices of c5.large, c6i.xlarge, c7g.xlarge, c7i.xlarge and m5.xlarge in 23 regions (ratios for other sizes and families)",
    data_date: "2026-04-02",
    origin: "github.com/anycloud-sh/catalog aws/vms.csv @ 5134b895047c454c834c6db730af077e06bdbdca",
    license: "none stated",
  },
  gcpAnycloud: {
    file: "gcp-anycloud-skypilot-vms.csv",
    id: "gcp-anycloud-skypilot-vms",
    description: "GCP per-zone prices: machine types (zones), N1 attachable GPUs, TPU slices",
    data_date: "2026-05-20",
    origin: "github.com/anycloud-sh/catalog gcp/vms.csv @ 62ff0a987e0c257a89235415d2877812fb1aaf29",
    license: "none stated",
  },
  gcpPrices: {
    file: "gcp-cyclenerd-instance-prices.csv",
    id: "gcp-cyclenerd-instance-prices",
    description: "GCP on-demand and spot prices per machine type and region, bundled GPUs and local SSD included (Cloud Billing Catalog SKUs)",
    data_date: "2026-07-30",
    origin: "github.com/Cyclenerd/google-cloud-pricing-cost-calculator pricing.yml @ fd66b26ff84fee5cdd94f341ea89206e76c06b99",
    license: "Apache-2.0",
  },
  gcpMachineTypeRegions: {
    file: "gcp-cyclenerd-machinetype-regions.csv",
    id: "gcp-cyclenerd-machinetype-regions",
    description: "GCP machine types offered per region with vCPUs and memory (gcloud compute machine-types list)",
    data_date: "2026-08-17",
    origin: "github.com/Cyclenerd/google-cloud-pricing-cost-calculator tools/machinetyperegion.csv @ 8bf3293a35613e7ee333e2365d3cf0a3b8a8f347",
    license: "Apache-2.0",
  },
} satisfies Record<string, SourceFile>;

export type SourceName = keyof typeof SOURCE_FILES;

/** The stamp of a catalog built from these sources: dates are the newest and oldest data dates. */
export function makeStamp(files: readonly SourceFile[]): CatalogStamp {
  const sources = files.map(({ id, description, data_date, origin, license }) => ({ id, description, data_date, origin, license }));
  const dates = sources.map((source) => source.data_date).sort();
  return { format: 1, built_from: "sources", data_date: dates[dates.length - 1], oldest_data_date: dates[0], sources };
}
