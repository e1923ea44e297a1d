from source_activecampaign.run import run

if __name__ == "__main__":
    run()
