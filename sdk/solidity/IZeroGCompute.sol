// SPDX-License-Identifier: Apache-2.0
pragma solidity ^0.8.20;

/// @title ZeroG compute from the EVM
/// @notice The compute pallet (`pallet-compute-escrow`) as a precompile at
/// `0x0000000000000000000000000000000008020000`: fund inference, open and judge jobs. A call
/// acts as its caller; accounts are 32-byte account ids (an Ethereum address maps to one,
/// `accountOf`). Amounts are in the chain's native unit. Not payable; state changes revert in
/// `staticcall` and `delegatecall`.
/// @dev A pallet error reverts with `Error(string)` naming it, e.g. `"InsufficientAvailableFunds"`;
/// `"StateChangeDenied"`, `"PrecompileDelegateDenied"`, `"NotPayable"` and `"AmountTooLarge"`
/// come from the precompile itself.
interface IZeroGCompute {
    /// @notice A registered service.
    struct Service {
        bytes32 provider;
        /// 0: inference, 1: jobs.
        uint8 kind;
        string model;
        string endpoint;
        uint256 inputPricePerToken;
        uint256 outputPricePerToken;
        /// Whether its answers are signed inside an approved enclave.
        bool verifiable;
        uint256 stake;
    }

    /// @notice A user's funds: available to fund providers, and refunds waiting to unlock.
    struct Ledger {
        uint256 available;
        uint256 pendingRefunds;
    }

    /// @notice A job: who, what, and where it stands.
    struct Job {
        uint64 service;
        bytes32 user;
        bytes32 provider;
        bytes32 datasetRoot;
        bytes32 paramsHash;
        uint256 maxFee;
        uint32 deadline;
        /// 0: assigned, 1: in review, 2: disputed.
        uint8 status;
    }

    event Deposited(address indexed user, uint256 amount);
    event ProviderFunded(address indexed user, bytes32 indexed provider, uint256 amount);
    event RefundRequested(address indexed user, bytes32 indexed provider, uint256 amount);
    event RefundClaimed(address indexed user, uint256 amount);
    event JobCreated(uint64 indexed jobId, uint64 indexed service, address indexed user, uint256 maxFee);
    event ResultAccepted(uint64 indexed jobId, address indexed user);
    event JobDisputed(uint64 indexed jobId, address indexed user);

    /// @notice Moves `amount` from the caller's balance into its compute ledger.
    function deposit(uint256 amount) external;

    /// @notice Moves `amount` of the caller's ledger into its sub-account with `provider`,
    /// from which the provider's receipts are paid.
    function fundProvider(bytes32 provider, uint256 amount) external;

    /// @notice Asks `amount` back from the sub-account with `provider`; claimable once the
    /// refund's lock has passed (the provider may settle receipts until then).
    function requestRefund(bytes32 provider, uint256 amount) external;

    /// @notice Moves every unlocked refund back to the caller's ledger.
    function claimRefund() external;

    /// @notice Opens a job on `service` over the dataset `datasetRoot`, paying at most
    /// `maxFee`, to be done by block `deadline`.
    function createJob(uint64 service, bytes32 datasetRoot, bytes32 paramsHash, uint256 maxFee, uint32 deadline)
        external
        returns (uint64 jobId);

    /// @notice Accepts a job's result: the provider is paid the fee it reported.
    function acceptResult(uint64 jobId) external;

    /// @notice Disputes a job's result, with the bond the pallet sets.
    function dispute(uint64 jobId) external;

    /// @notice The service with id `serviceId`; reverts with `"ServiceNotFound"` if none.
    function service(uint64 serviceId) external view returns (Service memory);

    /// @notice `user`'s ledger.
    function ledger(bytes32 user) external view returns (Ledger memory);

    /// @notice The balance of `user`'s sub-account with `provider`.
    function subAccount(bytes32 user, bytes32 provider) external view returns (uint256);

    /// @notice The job with id `jobId`; reverts with `"JobNotFound"` if none.
    function job(uint64 jobId) external view returns (Job memory);

    /// @notice The account id an Ethereum address acts as.
    function accountOf(address account) external view returns (bytes32);
}
